//! The widget's stylesheet as its wasm carries it: styles/launcher.css then styles/panel.css,
//! without their comments and the whitespace CSS does not need (`$OUT_DIR/widget.css`, read by
//! `src/widget/host.rs`). The sources stay commented and readable.

use std::path::Path;
use std::{env, fs};

fn main() {
    let mut css = String::new();
    for file in ["styles/launcher.css", "styles/panel.css"] {
        println!("cargo:rerun-if-changed={file}");
        match fs::read_to_string(file) {
            Ok(text) => css.push_str(&text),
            Err(e) => panic!("{file}: {e}"),
        }
    }
    let out = env::var_os("OUT_DIR").map(|d| Path::new(&d).join("widget.css"));
    let Some(out) = out else {
        panic!("cargo sets OUT_DIR for build scripts");
    };
    if let Err(e) = fs::write(&out, minify(&css)) {
        panic!("{}: {e}", out.display());
    }
}

/// Drops comments, turns every run of whitespace into one space, and drops the spaces next to
/// `{`, `}`, `;`, `,` and after `:` (none of our selectors has a space after a colon; the
/// space before one, as in `.cc-rich :is(p)`, is a combinator and stays). Strings in the
/// stylesheet (font names) hold none of these next to a space.
fn minify(css: &str) -> String {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = match rest[start + 2..].find("*/") {
            Some(end) => &rest[start + 2 + end + 2..],
            None => "",
        };
    }
    text.push_str(rest);
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        let tight_before = matches!(c, '{' | '}' | ';' | ',');
        let tight_after = matches!(out.chars().last(), Some('{' | '}' | ';' | ',' | ':') | None);
        if space && !tight_before && !tight_after {
            out.push(' ');
        }
        space = false;
        // The last declaration of a block needs no `;`.
        if c == '}' && out.ends_with(';') {
            out.pop();
        }
        out.push(c);
    }
    out
}
