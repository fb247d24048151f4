// The emoji picker's data (issue 43, item 3; not wired into the widget yet): the common emoji,
// in eight categories, each with its name and search words in the widget's language, from
// emojibase-data (MIT; names from Unicode CLDR's annotations). One table per language of the
// widget, to travel as a file beside the parts like the texts (scripts/resources.mjs), fetched
// when the visitor first opens the picker. Languages emojibase has no names for (ar, fa, he,
// id, tr, ur) search English names.
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

/** emojibase-data's locale for each language of the widget that it has names for. */
export const NAMES = { en: 'en', es: 'es', pt: 'pt', fr: 'fr', de: 'de', it: 'it', nl: 'nl', pl: 'pl', ru: 'ru', uk: 'uk', hi: 'hi', ja: 'ja', ko: 'ko', 'zh-CN': 'zh', 'zh-TW': 'zh-hant' };

/** The emoji of a category's string, one by one (a grapheme each, with its variation selector). */
export function emojiOf(text) {
  return [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);
}

/** How many of a name's search words a table keeps (the files' size: docs/size.md). */
export const WORDS = 6;

const bare = (e) => e.replace(/\uFE0F/g, '');

/** emojibase's entries of `locale` by emoji (without variation selectors). */
function names(root, locale) {
  const file = path.join(root, 'node_modules', 'emojibase-data', locale, 'data.json');
  const byEmoji = new Map();
  for (const entry of JSON.parse(readFileSync(file, 'utf8'))) byEmoji.set(bare(entry.emoji), entry);
  return byEmoji;
}

/** The picker's table for `lang`: `[[category, [[emoji, name, search], …]], …]`, `search` the
 * name and the language's search words, lower case, separated by spaces (the widget compares
 * a search in lower case with it: it has no case tables of its own). Throws, naming
 * it, for an emoji emojibase does not know (a typo in CATEGORIES). */
export function emojiTable(root, lang) {
  const english = names(root, 'en');
  const local = names(root, NAMES[lang] ?? 'en');
  return CATEGORIES.map(([category, text]) => [category, emojiOf(text).map((emoji) => {
    const en = english.get(bare(emoji));
    if (!en) throw new Error(`scripts/emoji.mjs: ${emoji} (${[...emoji].map((c) => c.codePointAt(0).toString(16)).join(' ')}) is no emoji emojibase-data knows`);
    const entry = local.get(bare(emoji)) ?? en;
    // Six of the language's words (emojibase lists them by name, not by use), not in the name.
    const words = [...new Set((entry.tags ?? []).slice(0, WORDS).map((w) => w.toLowerCase()))]
      .filter((w) => !entry.label.toLowerCase().includes(w));
    return [emoji, entry.label, [entry.label.toLowerCase(), ...words].join(' ')];
  })]);
}
