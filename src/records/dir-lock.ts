// One process per PGlite folder: PGlite is a single-process Postgres, and two processes writing
// one folder corrupt it. The folder holds a lock file with the owner's pid; a lock whose process
// is gone (a kill -9) is taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes the folder's lock or throws naming the process holding it; returns the release. */
export function lockDir(dir: string): () => void {
  const file = join(dir, 'helpline.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new Error(`RECORDS_DIR ${dir} is in use by process ${pid}: one instance per folder (several instances need DATABASE_URL)`, { cause: err });
      }
      unlinkSync(file);
    }
  }
  throw new Error(`could not lock RECORDS_DIR ${dir}`);
}
