// One process per PGlite folder: a second instance on the same RECORDS_DIR is refused with the
// holder's pid (two would corrupt it); a lock left by a killed process is taken over.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDir } from '../../src/records/dir-lock.js';
import { openRecordsDb } from '../../src/records/open.js';

describe('the RECORDS_DIR lock', () => {
  it('refuses a folder another live process holds, takes over one whose process is gone, and goes with the database', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'records-'));
    writeFileSync(join(dir, 'helpline.lock'), String(process.ppid));
    expect(() => lockDir(dir)).toThrow(`RECORDS_DIR ${dir} is in use by process ${process.ppid}: one instance per folder (several instances need DATABASE_URL)`);
    await expect(openRecordsDb({ dir })).rejects.toThrow(/is in use by process/);

    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(dir, 'helpline.lock'), String(gone));
    const db = await openRecordsDb({ dir });
    expect(readFileSync(join(dir, 'helpline.lock'), 'utf8')).toBe(String(process.pid));
    expect(await db.query('SELECT 1 AS x')).toEqual([{ x: 1 }]);
    await db.close();
    expect(existsSync(join(dir, 'helpline.lock'))).toBe(false);
  });
});
