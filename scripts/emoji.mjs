// The emoji picker's data (issue 43, item 3): the common emoji, in eight categories, each with
// its name and search words in the widget's language, from Unicode CLDR's annotations
// (cldr-annotations-full, Unicode License v3: pkg-widget's THIRD-PARTY-NOTICES.md). One table per
// language of the widget, a file beside the parts like the texts (scripts/resources.mjs),
// fetched when the visitor first opens the picker.
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The emoji the picker offers, by category (the order the picker shows): the ones chats use
 * most, chosen by hand, every one in Unicode 13 or earlier (fonts of 2021 onwards draw them). */
export const CATEGORIES = [
  ['smileys', '😀😃😄😁😆😅🤣😂🙂🙃😉😊😇🥰😍🤩😘😗😚😙😋😛😜🤪😝🤑🤗🤭🤫🤔🤐🤨😐😑😶😏😒🙄😬😌😔😪🤤😴😷🤒🤕🤢🤮🥵🥶🥴😵🤯🤠🥳😎🤓🧐😕😟🙁😮😯😲😳🥺😦😧😨😰😥😢😭😱😖😣😞😓😩😫🥱😤😡😠🤬😈💀💩🤡👻👽🤖😺😸😹😻😼😽🙀😿😾❤️🧡💛💚💙💜🖤🤍🤎💔❣️💕💞💓💗💖💘💝💯💢💥💫💦💨💬💭💤'],
  ['people', '👋🤚🖐️✋🖖👌🤏✌️🤞🤟🤘🤙👈👉👆👇☝️👍👎✊👊🤛🤜👏🙌👐🤲🤝🙏✍️💪👀🧠👶🧒👦👧🧑👨👩🧓👴👵🙋🙇🤦🤷💁🙆🙅🕺💃👯🧘🏃🚶👪'],
  ['animals', '🐶🐱🐭🐹🐰🦊🐻🐼🐨🐯🦁🐮🐷🐸🐵🐔🐧🐦🐤🦆🦅🦉🐺🐴🦄🐝🐛🦋🐌🐞🐢🐍🦖🐙🦀🐠🐟🐬🐳🦈🐘🦒🦔🌵🎄🌲🌳🌴🌱🌿🍀🍁🍂🌷🌹🌺🌸🌼🌻🌞🌝🌛⭐🌟✨⚡🔥🌈☀️⛅☁️❄️☃️🌊'],
  ['food', '🍏🍎🍐🍊🍋🍌🍉🍇🍓🍒🍑🥭🍍🥥🥝🍅🍆🥑🥦🥕🌽🥔🥐🍞🥖🧀🥚🍳🥞🥓🍗🍖🌭🍔🍟🍕🥪🌮🌯🥗🍝🍜🍣🍱🍚🍦🍰🎂🍫🍬🍩🍪☕🍵🥤🍺🍻🥂🍷🍸🍹🍾'],
  ['activities', '⚽🏀🏈⚾🎾🏐🏉🎱🏓🏸🥊⛳🎣🎿🏆🥇🥈🥉🏅🎫🎪🎭🎨🎬🎤🎧🎼🎹🥁🎷🎺🎸🎻🎲🎯🎳🎮🧩🎉🎊🎈🎁🎀'],
  ['travel', '🚗🚕🚙🚌🚎🚓🚑🚒🚐🚚🚜🛵🚲🛴🚨🚔🚍🚘🚖✈️🛫🛬🚀🛸🚁⛵🚤🚢⚓🚧⛽🚦🗽🗼🏰🎡🎢🌋🗻🏠🏡🏢🏥🏦🏨🏫⛪🌍🌎🌏🌐'],
  ['objects', '⌚📱💻⌨️💾💿📷📸📹🎥📞☎️📺📻⏰⌛⏳📡🔋🔌💡🔦💸💵💳💎⚖️🔧🔨🔩⚙️💣🔪🔮💊💉🧬🦠🧪🧹🧺🧻🚽🛁🔑🚪🛏️📦📫📮📝📁📂📅📆📌📎✂️🔒🔓📖📚🔖✏️📏📐🔍🔎'],
  ['symbols', '✅☑️✔️❌❎➕➖➗✖️❓❔❕❗‼️⁉️💲⚠️🚫⛔📛♻️🔰⭕🆗🆕🆒🆓🆙🆘🔝🔜🔙▶️⏸️⏹️⏭️⏮️⏩⏪🔀🔁🔂ℹ️🔴🟠🟡🟢🔵🟣⚫⚪🟥🟦⬛⬜🔶🔷🔺🔻💠🔘🏁🚩'],
];

/** CLDR's locale for each language of the widget (every one has its names). */
export const NAMES = {
  en: 'en', es: 'es', pt: 'pt', fr: 'fr', de: 'de', it: 'it', nl: 'nl', pl: 'pl', ru: 'ru', uk: 'uk', hi: 'hi',
  ja: 'ja', ko: 'ko', 'zh-CN': 'zh', 'zh-TW': 'zh-Hant', ar: 'ar', fa: 'fa', he: 'he', id: 'id', tr: 'tr', ur: 'ur',
};

/** The emoji of a category's string, one by one (a grapheme each, with its variation selector). */
export function emojiOf(text) {
  return [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);
}

/** How many of a name's search words a table keeps (the files' size: docs/size.md). */
export const WORDS = 6;

const bare = (e) => e.replace(/\uFE0F/g, '');

/** CLDR's annotations of `locale` by emoji (without variation selectors): `{ name, words }`. */
function names(root, locale) {
  const file = path.join(root, 'node_modules', 'cldr-annotations-full', 'annotations', locale, 'annotations.json');
  const byEmoji = new Map();
  for (const [emoji, { tts, default: words }] of Object.entries(JSON.parse(readFileSync(file, 'utf8')).annotations.annotations)) {
    if (tts?.[0]) byEmoji.set(bare(emoji), { name: tts[0], words: words ?? [] });
  }
  return byEmoji;
}

/** The picker's table for `lang`: `[[category, [[emoji, name, search], …]], …]`, `search` the
 * name and the language's search words, lower case, separated by spaces (the widget compares
 * a search in lower case with it: it has no case tables of its own). Throws, naming it, for a
 * language without a locale here, and for an emoji CLDR does not name (a typo in CATEGORIES);
 * an emoji a language does not name (none in CLDR 48) takes English's. */
export function emojiTable(root, lang) {
  if (!NAMES[lang]) throw new Error(`scripts/emoji.mjs: no CLDR locale for the language ${lang} (NAMES)`);
  const english = names(root, 'en');
  const local = names(root, NAMES[lang]);
  return CATEGORIES.map(([category, text]) => [category, emojiOf(text).map((emoji) => {
    const en = english.get(bare(emoji));
    if (!en) throw new Error(`scripts/emoji.mjs: ${emoji} (${[...emoji].map((c) => c.codePointAt(0).toString(16)).join(' ')}) is no emoji CLDR names`);
    const { name, words } = local.get(bare(emoji)) ?? en;
    // Six of the language's words (CLDR lists them alphabetically, not by use), not in the name.
    const lower = name.toLowerCase();
    const search = [...new Set(words.map((w) => w.toLowerCase()))].filter((w) => !lower.includes(w)).slice(0, WORDS);
    return [emoji, name, [lower, ...search].join(' ')];
  })]);
}
