//! Markdown → HTML for the chat widget. The widget's wasm keeps it in a part of its own
//! (pulldown-cmark and its entity table are a large share of the widget's bytes; see
//! `src/widget/markdown.rs`), loaded once the page is idle or when the first markdown item
//! arrives. Its HTML goes through the widget's one sanitizer like any bot markup.

use pulldown_cmark::{html, Options, Parser};

/// CommonMark with tables, strikethrough and task lists, as HTML (unsanitized).
pub fn to_html(md: &str) -> String {
    let parser = Parser::new_ext(
        md,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS,
    );
    let mut out = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn the_extensions_the_bot_uses() {
        let html = to_html("**bold** ~~gone~~\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n");
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
        assert!(to_html("<b onclick=x>hi</b>").contains("<b onclick=x>"));
        assert_eq!(to_html("&copy; &amp;"), "<p>© &amp;</p>\n");
    }
}
