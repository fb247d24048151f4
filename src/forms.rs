//! Rules of what the visitor types into the widget's forms (the pre-chat form's e-mail
//! address). Pure, so that they are tested natively.

/// Whether `address` is an e-mail address as a form may take it: the shape of HTML's
/// `<input type=email>` (a local part of its allowed characters, `@`, dot-separated labels of
/// letters, digits and hyphens, not starting or ending with one), with at least one dot in the
/// domain (an address on the open internet) and the lengths the standards allow (64, 254).
pub fn valid_email(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".!#$%&'*+/=?^_`{|}~-".contains(&b));
    let labels_ok = domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    address.len() <= 254 && local_ok && labels_ok
}

#[cfg(test)]
mod tests {
    use super::valid_email;

    #[test]
    fn addresses_as_forms_take_them() {
        for ok in [
            "ana@example.com",
            "a.b+tag@mail.example.co.uk",
            "x_y-z@ex-ample.org",
            "1@2.io",
        ] {
            assert!(valid_email(ok), "{ok}");
        }
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "ana@@example.com",
            "ana@ex ample.com",
            "an a@example.com",
            "ana@.example.com",
            "ana@example..com",
            "ana@-example.com",
            "ana@example-.com",
            "ana@example.com.",
            "<ana>@example.com",
            "ana@exämple.com",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
        assert!(!valid_email(&format!("{}@example.com", "a".repeat(65))));
        assert!(!valid_email(&format!("a@{}.com", "b".repeat(250))));
    }
}
