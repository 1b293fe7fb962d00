import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');

/** A content folder with the real scripts and locales and a couple of small intents. */
export function makeContentDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'content-'));
  mkdirSync(join(dir, 'intents/suicide'), { recursive: true });
  mkdirSync(join(dir, 'intents/greeting'), { recursive: true });
  cpSync(join(REPO, 'intents/scripts.yaml'), join(dir, 'intents/scripts.yaml'));
  cpSync(join(REPO, 'locales'), join(dir, 'locales'), { recursive: true });
  writeFileSync(
    join(dir, 'intents/suicide/suicide_thoughts.yaml'),
    ['topic: suicide', 'risk: high', 'script: crisis_high', 'examples:', '  ru:', '    - хочу умереть', '  en:', '    - i want to die', 'lexicon:', '  ru:', '    - не хоч* жить', '    - поконч* с собой', '  en:', '    - want* to die', ''].join('\n'),
  );
  writeFileSync(
    join(dir, 'intents/greeting/hello.yaml'),
    ['topic: greeting', 'risk: none', 'script: greeting', 'examples:', '  ru:', '    - привет', '  en:', '    - hello', ''].join('\n'),
  );
  return dir;
}
