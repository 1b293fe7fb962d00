// The studio edits the console's words (locales/console.<locale>.ftl) like every other message:
// an item message:<locale>:console-… lands in the console file, a diff names it message by
// message, and a version published before the console files existed gets them from the seed.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ContentManager } from '../../src/content/manager.js';
import { MemoryContentVersions } from '../../src/store/memory-content-versions.js';
import { diffFiles } from '../../src/studio/diff.js';
import { followPublished } from '../../src/studio/follow.js';
import { applyItems, ftlMessages, itemText, parseItemKey } from '../../src/studio/items.js';
import { makeContentDir } from '../content/fixture.js';

const log = pino({ level: 'silent' });

describe('console words in the studio', () => {
  it('an edit of a console message goes into the console file, and the diff names it', () => {
    const manager = new ContentManager(makeContentDir(), log);
    const seed = manager.seedFiles;
    const ref = parseItemKey('message:ru:console-queue')!;
    expect(ref).toEqual({ kind: 'message', locale: 'ru', id: 'console-queue', file: 'locales/console.ru.ftl' });
    expect(itemText(seed, ref)).toBe('console-queue = Очередь');
    const { files, problems } = applyItems(seed, { 'message:ru:console-queue': 'console-queue = Ждут ответа' });
    expect(problems).toEqual([]);
    expect(ftlMessages(files['locales/console.ru.ftl']!).get('console-queue')).toBe('console-queue = Ждут ответа');
    expect(files['locales/ru.ftl']).toBe(seed['locales/ru.ftl']);
    expect(diffFiles(seed, files).map((d) => d.key)).toEqual(['message:ru:console-queue']);
    manager.close();
  });

  it('a version published before the console files existed takes them from the seed', async () => {
    const manager = new ContentManager(makeContentDir(), log);
    const seed = manager.seedFiles;
    const files = { ...seed };
    delete files['locales/console.ru.ftl'];
    delete files['locales/console.en.ftl'];
    const versions = new MemoryContentVersions();
    await versions.publishVersion({ author: 'olga', at: 1, comment: 'old', diff: [], files }, 0);
    expect(manager.usePublished(1, files).ok).toBe(false);
    const stop = await followPublished(versions, manager, log);
    stop();
    expect(manager.published).toBe(1);
    expect(manager.current.i18n.t('ru', 'console-queue')).toBe('Очередь');
    expect(manager.current.i18n.t('en', 'console-queue')).toBe('Queue');
    manager.close();
  });
});
