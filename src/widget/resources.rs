//! What the build puts beside the wasm rather than in it (`scripts/resources.mjs`): the
//! stylesheets and the widget's texts, each part's with that part. `src/widget/resources.js`
//! (in the glue's scope) holds them; the wasm asks for them by name. Not in the wasm: wasm-split
//! keeps every string of the module in its main part, which the launcher's first load
//! downloads (docs/size.md, "Resources beside the wasm").

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A resource by name (`launcher.css`, `panel.css`, `greeting.css`, `strings`), if the
    /// parts loaded so far carry it.
    #[wasm_bindgen(js_name = captivateResource)]
    pub fn resource(name: &str) -> Option<String>;

    /// The plural form (`Intl.PluralRules`: `one`, `few`, `other`…) of the count `n` in
    /// `lang` (one import where js-sys's `PluralRules` takes four).
    #[wasm_bindgen(js_name = captivatePlural)]
    pub fn plural(lang: &str, n: f64) -> String;
}

/// A stylesheet the build should have put beside the wasm, or an error naming it.
pub fn stylesheet(name: &str) -> Result<String, JsValue> {
    resource(name).ok_or_else(|| {
        js_sys::Error::new(
            &[
                "CaptivateChat: the stylesheet ",
                name,
                " is missing (load the widget with the glue and parts of one build)",
            ]
            .concat(),
        )
        .into()
    })
}
