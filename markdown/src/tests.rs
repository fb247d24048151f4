use proptest::prelude::*;

use super::{cmark, marker, to_html};

/// Names decoded as pulldown-cmark's own table decodes them (the native build keeps it): the
/// widget's decoder is the browser's copy of the same table.
fn table(names: &[&str]) -> Vec<Option<String>> {
    names
        .iter()
        .map(|name| {
            let html = cmark(&["&", name, ";"].concat());
            let text = html.strip_prefix("<p>")?.strip_suffix("</p>\n")?;
            (text != ["&amp;", name, ";"].concat()).then(|| {
                text.replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&")
            })
        })
        .collect()
}

fn render(md: &str) -> String {
    to_html(md, &table)
}

/// The two HTMLs mean the same: a decoded `"` is escaped in text too (where the browser
/// reads `&quot;` as `"`), and tabs at the end of a heading do not count (pulldown-cmark
/// keeps them after text and drops them after a decoded reference, which the marking makes
/// text: `# a\t` and `# &amp;\t`; the browser shows neither).
fn same(md: &str) -> Result<(), TestCaseError> {
    let meaning = |html: String| {
        let mut html = html.replace("&quot;", "\"");
        while html.contains("\t</h") {
            html = html.replace("\t</h", "</h");
        }
        html
    };
    prop_assert_eq!(meaning(render(md)), meaning(cmark(md)), "source: {:?}", md);
    Ok(())
}

#[test]
fn the_extensions_the_bot_uses() {
    let html = render("**bold** ~~gone~~\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n");
    assert!(html.contains("<strong>bold</strong>"), "{html}");
    assert!(html.contains("<del>gone</del>"), "{html}");
    assert!(
        html.contains("<table>") && html.contains("<td>1</td>"),
        "{html}"
    );
    assert!(html.contains("type=\"checkbox\""), "{html}");
}

#[test]
fn raw_html_passes_through_for_the_sanitizer_and_entities_decode() {
    // The sanitizer, not this module, decides what markup survives.
    assert!(render("<b onclick=x>hi</b>").contains("<b onclick=x>"));
    assert_eq!(render("&copy; &amp;"), "<p>© &amp;</p>\n");
}

#[test]
fn named_references_decode_only_where_commonmark_decodes_them() {
    let cases = [
        "&ouml; &AElig; &DoubleLongLeftRightArrow; &ngE; &zwnj; &Zfr; &quot;x&quot;",
        "&copyx; &foo; &; & ; &amp &AMP; &#42; &#x2A; &#0; &#1;",
        "\\&ouml; \\\\&ouml; `&ouml;` ``a &amp; b``",
        "```&ouml;\n&amp; &lt;\n```\n\n    &amp; indented",
        "```a&Tab;b\ncode\n```",
        "[l&ouml;](/p&ouml;?a=1&amp;b=2 \"t&quot;&ouml;\") ![a&lt;t](/i&foo;.png)",
        "[ref]\n\n[ref]: /u&amp;v \"&copy;\"",
        "[&AMP;][x]\n\n[&amp;]: /eq",
        "<http://a.b/?x&amp;y> <a&amp;b@c.d>",
        "<b title=\"&amp;&ouml;\">&amp;copy; &foo;</b>\n\n<div>\n&ouml; &amp;amp;\n</div>",
        "| a&vert;b | c |\n|---|---|\n| &lt;td&gt; | &#124; |",
        "*&amp;*foo* &lt;**&gt;**",
        "&amp;<div>\n#\t&AMP;\t ",
        "a\u{1}b &amp; %01 &#1;",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
    ];
    for md in cases {
        same(md).unwrap();
    }
}

#[test]
fn the_marker_is_a_character_the_source_cannot_produce() {
    assert_eq!(marker("plain &amp;"), Some('\u{1}'));
    assert_eq!(marker("a\u{1}b"), Some('\u{2}'));
    assert_eq!(marker("&#1; &#x2; &#X03; &#0004"), Some('\u{5}'));
    assert_eq!(marker("[a](/%01) [b](/%02)"), Some('\u{3}'));
    let every_control: String = (1..=8).chain(14..=31).filter_map(char::from_u32).collect();
    assert_eq!(marker(&every_control), Some('\u{E000}'));
    // Each case still renders as pulldown-cmark's own table would.
    for md in [
        "a\u{1}b &ouml;",
        "&#1; &ouml;",
        "[a](/%01&ouml;)",
        &(every_control + " &ouml;"),
    ] {
        same(md).unwrap();
    }
}

#[test]
fn names_are_decoded_once_per_message() {
    let asked = std::cell::RefCell::new(Vec::new());
    let decode = |names: &[&str]| {
        asked
            .borrow_mut()
            .push(names.iter().map(|n| n.to_string()).collect::<Vec<_>>());
        table(names)
    };
    let html = to_html("&ouml; &ouml; [x](/&amp;) &foo;", &decode);
    assert_eq!(html, "<p>ö ö <a href=\"/&amp;\">x</a> &amp;foo;</p>\n");
    assert_eq!(*asked.borrow(), [["ouml", "amp", "foo"]]);
    // No reference: no call.
    to_html("no references", &decode);
    assert_eq!(asked.borrow().len(), 1);
}

#[test]
fn a_decoder_that_knows_nothing_leaves_references_as_written() {
    let none = |names: &[&str]| vec![None; names.len()];
    assert_eq!(
        to_html("&ouml; [x](/&amp;) `&lt;`", &none),
        "<p>&amp;ouml; <a href=\"/&amp;amp;\">x</a> <code>&amp;lt;</code></p>\n"
    );
}

/// Pieces that exercise every context where a reference counts or does not.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "&amp;",
        "&ouml;",
        "&copy;",
        "&copyx;",
        "&foo;",
        "&;",
        "&AMP;",
        "&quot;",
        "&lt;",
        "&NewLine;",
        "&Tab;",
        "&nbsp;",
        "&#42;",
        "&#x1;",
        "&#1;",
        "&",
        ";",
        "amp",
        "`",
        "``",
        "\\",
        "<",
        ">",
        "[",
        "]",
        "(",
        ")",
        "*",
        "_",
        "~~",
        "|",
        "-",
        " ",
        "\n",
        "\n\n",
        "    ",
        "```",
        "~~~",
        "#",
        "!",
        "\"",
        "'",
        "a",
        "b1",
        "\u{1}",
        "\u{e000}",
        "%01",
        "http://a.b/",
        "<http://a.b/?q=",
        "<b title=\"",
        "</b>",
        "<div>\n",
        "]: /u ",
        "[r]",
        "- [x] ",
        "1. ",
        "> ",
        "|---|",
        "\t",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn renders_as_pulldown_cmarks_own_table_would(
        pieces in prop::collection::vec(piece(), 0..40)
    ) {
        same(&pieces.concat())?;
    }
}
