// The widget's resources that are not code (scripts/resources.mjs): the build puts this in
// the scope of the widget's wasm-bindgen glue, after `const captivateResources = {…}` (what
// the main part needs: launcher.css; the debug build puts every resource there). The wasm
// reads one by name with captivateResource (src/widget/host.rs).
function captivateResource(name) {
  return Object.prototype.hasOwnProperty.call(captivateResources, name) ? captivateResources[name] : undefined;
}

// The plural form (Intl.PluralRules: 'one', 'few', 'other'…) of the count `n` in `lang`.
function captivatePlural(lang, n) {
  return new Intl.PluralRules(lang).select(n);
}

// Instantiates one of the parts the main part loads (the link module calls this for each),
// and adds the resources the part carries (its `captivate` custom section, JSON: name -> text)
// before the part's code runs.
async function captivateInstantiate(source, imports) {
  const made = await WebAssembly.instantiateStreaming(source, imports);
  for (const bytes of WebAssembly.Module.customSections(made.module, 'captivate')) {
    Object.assign(captivateResources, JSON.parse(new TextDecoder().decode(bytes)));
  }
  return made;
}
