/**
 * Russian typed in Latin letters ("ya ne hochu zhit", "menya b'yut doma") back to Cyrillic, so
 * that the model reads the words it learnt instead of rare Latin fragments. Only a message that
 * reads as translit is changed: it has no Cyrillic and more Russian function words ("ya", "ne",
 * "chto", "menya") than English ones ("the", "my", "is"). The result is approximate ("вчера" may
 * come out as "вцхера" for an odd spelling); subword pieces and typo-trained weights absorb that.
 */

const RU_WORDS = new Set(
  (
    'ya ne net da chto cho chto-to shto kak eto eta etot mne menya menia mnya tebya tebe ty vy on ona oni ' +
    'my nas nam u v na s so k ko po za iz ot do bez dlya pro no a ili tak uzhe uje eshe eshche ochen vse vsyo vsem ' +
    'kogda pochemu zachem gde kuda tut tam seychas sejchas segodnya vchera zavtra potom tozhe budu bylo byl byla ' +
    'mozhno nado nuzhno hochu hochetsya khochu mogu znayu znaju dumayu moy moya moi moyo moe svoy svoyu ego ee eyo ih ' +
    'kto nikto nichego nikogda vsegda opyat sovsem prosto pravda privet pozhaluysta spasibo pomogite pomogi ' +
    'mama papa roditeli shkole shkola drug podruga doma dom zhit umeret ubit bolno ploho horosho strashno ' +
    'chtoby chtob kazhetsya boyus bolit obidno tolko dazhe zhe li by bi naverno navernoe sebya sebe odin odna'
  ).split(' '),
);

const EN_WORDS = new Set(
  (
    'the a an i im i\'m me my mine you your we our they their he his she her it its is are was were be been ' +
    'am do does did dont don\'t doesnt didnt have has had to of in on at for with from by about and or but not ' +
    'no yes so if when what why how who where this that these those can cant could would should will wont just ' +
    'like get got want wanna gonna know think feel really very too all some any one there here out up down ' +
    // chat English that is also translit Russian ("u" = у, "ty" = ты, "ya" = я) counts on both sides
    'u ya ty r k'
  ).split(' '),
);

// Longest first: multi-letter spellings before single letters.
const RULES: [string, string][] = [
  ['tsya', 'тся'], ['shch', 'щ'], ['sch', 'щ'], ['zh', 'ж'], ['kh', 'х'], ['ch', 'ч'], ['sh', 'ш'], ['ts', 'ц'], ['tz', 'ц'],
  ['yu', 'ю'], ['ya', 'я'], ['yo', 'ё'], ['ye', 'е'], ['ju', 'ю'], ['ja', 'я'], ['jo', 'ё'], ['je', 'е'],
  ['iu', 'ю'], ['ia', 'я'], ["'", ''],
  ['a', 'а'], ['b', 'б'], ['v', 'в'], ['w', 'в'], ['g', 'г'], ['d', 'д'], ['e', 'е'], ['z', 'з'], ['i', 'и'],
  ['j', 'й'], ['k', 'к'], ['l', 'л'], ['m', 'м'], ['n', 'н'], ['o', 'о'], ['p', 'п'], ['r', 'р'], ['s', 'с'],
  ['t', 'т'], ['u', 'у'], ['f', 'ф'], ['h', 'х'], ['c', 'ц'], ['x', 'кс'], ['q', 'к'], ['y', 'ы'],
];
const VOWELS = 'аеёиоуыэюя';
// Endings that English words (almost) never have: "krasivaya", "samyy", "nizkiy", "nravitsya".
const RU_ENDING = /.{3,}(aya|yy|iy|ogo|tsya|ykh|yut|yat|enie|ovat)$/;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const WORD = /[a-z']+/g;

/** True when a Latin-letter message reads as Russian rather than English. */
export function looksLikeTranslit(text: string): boolean {
  if (CYRILLIC.test(text)) return false;
  let ru = 0;
  let en = 0;
  for (const w of text.toLowerCase().match(WORD) ?? []) {
    if (RU_WORDS.has(w) || RU_ENDING.test(w)) ru++;
    if (EN_WORDS.has(w)) en++;
  }
  return ru >= 1 && ru > en;
}

function word(latin: string): string {
  let out = '';
  let i = 0;
  while (i < latin.length) {
    const rule = RULES.find(([from]) => latin.startsWith(from, i))!;
    let to = rule[1];
    // "y" after a vowel is "й" ("moy", "takoy"), elsewhere "ы" ("ty", "byl").
    if (rule[0] === 'y' && out && VOWELS.includes(out[out.length - 1]!)) to = 'й';
    out += to;
    i += rule[0].length;
  }
  return out;
}

/**
 * The message in Cyrillic if it reads as translit, else unchanged. Translit writes the soft and
 * hard signs sometimes ("zhit'", "ubit'sya") and mostly not ("zhit", "ubitsya"), so they are
 * dropped from every detransliterated word: "ubit'sya" and "ubitsya" are one word ("убится"),
 * in training (whose translit copies of Russian examples come back through here) as at input.
 * Before, the apostrophe kept "ь", and one spelling of a crisis word became a different token
 * from the other (a translit suicide message was read as love/low).
 */
export function detransliterate(text: string): string {
  if (!looksLikeTranslit(text)) return text;
  return text.replace(/[A-Za-z']+/g, (w) => word(w.toLowerCase()).replace(/[ьъ]/g, ''));
}
