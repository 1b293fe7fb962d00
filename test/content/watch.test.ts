// The content watcher follows edits however an editor saves them. Most editors (and sed -i, and
// git checkout) save by writing a new file and renaming it over the old one: a watch on the old
// file's inode went deaf after the first such save (a regression test: it failed on 5813c3a).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, it } from 'vitest';
import { ContentManager } from '../../src/content/manager.js';
import { makeContentDir } from './fixture.js';

const managers: ContentManager[] = [];
afterEach(() => {
  for (const m of managers.splice(0)) m.close();
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('the content was not reloaded in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Write a temporary file beside the target and rename it over the target, as editors do. */
function replaceSave(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

describe('content watcher', () => {
  it('reloads after a replace-save, and again after a second one', async () => {
    const dir = makeContentDir();
    const manager = new ContentManager(dir, pino({ level: 'silent' }));
    managers.push(manager);
    manager.watch();
    const file = join(dir, 'locales/ru.ftl');
    const original = readFileSync(file, 'utf8');
    const greeting = () => manager.current.i18n.t('ru', 'lang-name');

    replaceSave(file, original.replace(/^lang-name = .*$/m, 'lang-name = Первая правка'));
    await until(() => greeting() === 'Первая правка');
    replaceSave(file, original.replace(/^lang-name = .*$/m, 'lang-name = Вторая правка'));
    await until(() => greeting() === 'Вторая правка');
    // A plain in-place write still counts too.
    writeFileSync(file, original.replace(/^lang-name = .*$/m, 'lang-name = Третья правка'));
    await until(() => greeting() === 'Третья правка');
  });

  it('sees a folder created after start and the files saved in it', async () => {
    const dir = makeContentDir();
    const manager = new ContentManager(dir, pino({ level: 'silent' }));
    managers.push(manager);
    manager.watch();
    const before = manager.current.intents.length;
    mkdirSync(join(dir, 'intents/school'));
    await new Promise((r) => setTimeout(r, 200));
    replaceSave(
      join(dir, 'intents/school/bad_mark.yaml'),
      ['topic: school', 'risk: low', 'examples:', '  ru:', '    - получил двойку', '  en:', '    - got a bad mark', ''].join('\n'),
    );
    await until(() => manager.current.intents.length === before + 1);
  });
});
