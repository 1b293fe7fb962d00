import { describe, expect, it } from 'vitest';
import { detransliterate, looksLikeTranslit } from '../../src/triage/detranslit.js';
import { prepareText } from '../../src/triage/prepare.js';

describe('translit back to Cyrillic', () => {
  it('turns Russian typed in Latin letters into Cyrillic words the model knows', () => {
    expect(detransliterate('ya ne hochu zhit')).toBe('я не хочу жит');
    expect(detransliterate('u menya nichego ne poluchaetsya')).toBe('у меня ничего не получается');
    expect(detransliterate("menya b'yut doma")).toBe('меня бют дома');
    // The soft sign is dropped on both sides: with or without the apostrophe, one word.
    expect(detransliterate("ya hochu ubit'sya")).toBe(detransliterate('ya hochu ubitsya'));
    expect(detransliterate("ne hochu zhit'")).toBe('не хочу жит');
    expect(detransliterate('ya samyy nizkiy v klasse')).toBe('я самый низкий в классе');
    expect(prepareText('pomogiteeee mne ochen ploho!!!')).toBe('помогите мне очен плохо!'); // approximate: the soft sign is not written in translit
  });

  it('leaves English, Cyrillic and mixed messages alone, chat English included', () => {
    for (const text of ['i want to die', 'hey u awake', 'r u a bot', 'see ya', 'ty so much', 'my mom hits me', 'heyy anyone online', 'мне so sad', 'ok']) {
      expect(looksLikeTranslit(text), text).toBe(false);
      expect(detransliterate(text), text).toBe(text);
    }
  });
});
