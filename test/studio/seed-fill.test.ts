// A version published before a deploy that made the code require new messages still runs: those
// messages come from the files deployed with the code, and the studio's edits stay live.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ContentManager } from '../../src/content/manager.js';
import { MemoryContentVersions } from '../../src/store/memory-content-versions.js';
import { followPublished } from '../../src/studio/follow.js';
import { ftlMessages } from '../../src/studio/items.js';
import { makeContentDir } from '../content/fixture.js';

const log = pino({ level: 'silent' });

describe('a published version older than the code', () => {
  it('takes the messages the code now requires from the seed, keeping the edits', async () => {
    const manager = new ContentManager(makeContentDir(), log);
    const seed = manager.seedFiles;
    // The version: an edited breathing text, and no studio-title (as if published before the page existed).
    const drop = (text: string) => text.replace(/^studio-title = .*\n/m, '');
    const files = {
      ...seed,
      'locales/ru.ftl': drop(seed['locales/ru.ftl']!).replace(ftlMessages(seed['locales/ru.ftl']!).get('breathing')!, 'breathing = Дыши из студии.'),
      'locales/en.ftl': drop(seed['locales/en.ftl']!),
    };
    expect(files['locales/ru.ftl']).not.toContain('studio-title');
    const versions = new MemoryContentVersions();
    await versions.publishVersion({ author: 'olga', at: 1, comment: 'old', diff: [], files }, 0);

    // Used as it is, it is refused (missing messages); followed, it is filled from the seed.
    expect(manager.usePublished(1, files).ok).toBe(false);
    const stop = await followPublished(versions, manager, log);
    stop();
    expect(manager.published).toBe(1);
    expect(manager.current.i18n.t('ru', 'breathing')).toBe('Дыши из студии.');
    expect(manager.current.i18n.t('ru', 'studio-title')).toBe(manager.seed.i18n.t('ru', 'studio-title'));
    expect(manager.current.i18n.t('en', 'studio-title')).toBe('Content studio');
    manager.close();
  });

  it('still refuses a version with any other problem', async () => {
    const manager = new ContentManager(makeContentDir(), log);
    const seed = manager.seedFiles;
    const versions = new MemoryContentVersions();
    await versions.publishVersion({ author: 'olga', at: 1, comment: 'broken', diff: [], files: { ...seed, 'locales/ru.ftl': `${seed['locales/ru.ftl']}\nbroken = { $x\n` } }, 0);
    const stop = await followPublished(versions, manager, log);
    stop();
    expect(manager.published).toBeNull();
    manager.close();
  });
});
