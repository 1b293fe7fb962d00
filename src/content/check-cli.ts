// npm run content:check — validates intents/ and locales/; prints file:line: problem, exit 1.
import { loadConfig } from '../config.js';
import { loadContent } from './load.js';
import { examplesOf } from './examples.js';
import { RISKS } from '../core/taxonomy.js';
import { ContentError, formatProblem } from './problems.js';

const root = process.argv[2] ?? loadConfig(process.env).CONTENT_DIR;
try {
  const c = loadContent(root);
  const examples = c.intents.reduce((n, i) => n + Object.values(i.examples).reduce((m, l) => m + l.length, 0), 0);
  console.log(
    `content ok: ${c.intents.length} intents, ${examples} examples, ${c.lexicon.entries.length} lexicon phrases, ` +
      `${Object.keys(c.steps).length} script steps, locales ${c.i18n.locales.join(', ')} (version ${c.version})`,
  );
  const tree = c.categories;
  if (tree) {
    const subs = tree.categories.reduce((n, k) => n + k.subcategories.length, 0);
    console.log(`categories: ${tree.categories.length} with ${subs} subcategories, ${tree.callTypes.length} call types, ${tree.ageGroups.length} age groups, ${tree.genders.length} genders`);
  }
  // Editors balance severity ladders by this line: how many examples sit at each risk level.
  const byRisk = new Map<string, number>(RISKS.map((r) => [r, 0]));
  for (const i of c.intents) for (const e of examplesOf(i)) byRisk.set(e.risk, byRisk.get(e.risk)! + 1);
  console.log(`examples by risk: ${[...byRisk].map(([r, n]) => `${r} ${n}`).join(', ')}`);
} catch (err) {
  if (err instanceof ContentError) {
    for (const p of err.problems) console.error(formatProblem(p));
    console.error(`${err.problems.length} problem(s)`);
    process.exit(1);
  }
  throw err;
}
