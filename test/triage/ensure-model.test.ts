import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { ensureModel, inspectModel } from '../../src/triage/ensure-model.js';
import { mapLabel } from '../../src/triage/labels.js';
import { ModelTriage } from '../../src/triage/model-triage.js';
import { TriageService } from '../../src/triage/service.js';
import { versionDir } from '../../src/triage/model-versions.js';
import { trainModel } from '../../src/triage/train/train.js';
import { SMALL_INTENTS, miniContent, tempDir } from './helpers.js';

const FAST = { config: { epochs: 40, holdout: 0 } };
const content = miniContent(SMALL_INTENTS);

describe('ensureModel', () => {
  const tmp = tempDir('triage-ensure');
  afterAll(() => tmp.remove());

  it('trains when missing, keeps an up-to-date model, retrains when stale or corrupt', async () => {
    const dir = join(tmp.path, 'model');
    const lines: string[] = [];
    const first = await ensureModel(dir, content, (m) => lines.push(m), { ...FAST, train: 'in-process' });
    expect(first.before.state).toBe('missing');
    expect(first.trained).toBe(true);
    expect(lines.some((l) => l.includes('training from intents/'))).toBe(true);
    expect(inspectModel(dir, content, FAST.config).state).toBe('ok');

    const again = await ensureModel(dir, content, () => {}, { ...FAST, train: 'in-process' });
    expect(again.trained).toBe(false);

    const changed = miniContent([...SMALL_INTENTS.slice(0, 2), { ...SMALL_INTENTS[2]!, ru: [...SMALL_INTENTS[2]!.ru!, 'новый пример'] }]);
    expect(inspectModel(dir, changed, FAST.config).state).toBe('stale');
    expect((await ensureModel(dir, changed, () => {}, { ...FAST, train: 'in-process' })).trained).toBe(true);

    writeFileSync(join(dir, 'config.json'), '{ not json');
    expect(inspectModel(dir, changed, FAST.config)).toMatchObject({ state: 'corrupt', ours: true });
    await expect(ensureModel(dir, changed, () => {}, { train: false })).rejects.toThrow(/corrupt.*npm run train/);
    expect((await ensureModel(dir, changed, () => {}, { ...FAST, train: 'in-process' })).trained).toBe(true);
    expect(inspectModel(dir, changed, FAST.config).state).toBe('ok');
  });

  it('never retrains a folder made elsewhere; refuses a broken one with one line', async () => {
    const dir = join(tmp.path, 'foreign');
    // A model made elsewhere has one output per label and no risk output of ours.
    await trainModel(content, dir, { ...FAST.config, riskHead: false });
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    delete config.triage;
    delete config.label_meta;
    delete config.risk_head;
    config.id2label = { 0: 'greeting', 1: 'school/low', 2: 'suicide:high' };
    config.label2id = { greeting: 0, 'school/low': 1, 'suicide:high': 2 };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    expect(inspectModel(dir, content)).toMatchObject({ state: 'ok', ours: false });
    expect((await ensureModel(dir, content, () => {}, { train: false })).trained).toBe(false);

    // Its labels are read as topic / topic+risk, through the same loading code.
    const model = await ModelTriage.load(dir, () => content);
    const r = await model.classify('хочу умереть, не хочу жить', { priorRisk: 'none' });
    expect(r).toMatchObject({ topic: 'suicide', risk: 'high' });
    expect(r.reasons.some((x) => x.includes('suicide:high'))).toBe(true);
    await model.dispose();

    const broken = join(tmp.path, 'foreign-broken');
    cpSync(dir, broken, { recursive: true });
    writeFileSync(join(broken, 'onnx', 'model.onnx'), '');
    await expect(ensureModel(broken, content, () => {}, { train: 'in-process' })).rejects.toThrow(/not usable .* was not made here/);
  });

  it('trains in a child process from a content folder (as npm start does)', async () => {
    const root = join(tmp.path, 'repo');
    mkdirSync(join(root, 'intents', 'x'), { recursive: true });
    cpSync('locales', join(root, 'locales'), { recursive: true });
    cpSync('intents/scripts.yaml', join(root, 'intents', 'scripts.yaml'));
    for (const i of SMALL_INTENTS) {
      writeFileSync(
        join(root, 'intents', 'x', `${i.id}.yaml`),
        stringify({ topic: i.topic, risk: i.risk, examples: { ru: i.ru, en: i.en } }),
      );
    }
    const disk = loadContent(root);
    const dir = join(tmp.path, 'child-model');
    const lines: string[] = [];
    const r = await ensureModel(dir, disk, (m) => lines.push(m), { root, config: { seed: 3, epochs: 30 } });
    expect(r.trained).toBe(true);
    expect(r.report?.labels).toBe(3);
    expect(lines.some((l) => l.startsWith('train: '))).toBe(true);
    expect(inspectModel(dir, disk, { seed: 9, epochs: 30 }).state).toBe('ok'); // the seed is not a setting
    expect(inspectModel(dir, disk).state).toBe('stale'); // other settings than the defaults
  }, 60_000);
});

describe('TriageService', () => {
  const tmp = tempDir('triage-service');
  afterAll(() => tmp.remove());

  it('answers with the lexicon until the model is ready, then with the model', async () => {
    const service = new TriageService(join(tmp.path, 'model'), () => content, () => {}, { ...FAST, train: 'in-process' });
    expect(service.status()).toMatchObject({ ready: false, state: 'starting' });
    expect(service.name).toBe('lexicon');
    expect((await service.classify('не хочу жить', { priorRisk: 'none' })).risk).toBe('high');
    await service.start();
    expect(service.status()).toMatchObject({ ready: true, state: 'model' });
    expect(service.name).toBe('model');
    expect((await service.classify('получил двойку по математике', { priorRisk: 'none' })).topic).toBe('school');
    await service.close();
  });

  it('follows the content in use: a published version gets its own model folder, a rollback the old one without training (issue 16 item 8)', async () => {
    const changed = miniContent([...SMALL_INTENTS.slice(0, 2), { ...SMALL_INTENTS[2]!, ru: [...SMALL_INTENTS[2]!.ru!, 'совсем другой пример'] }]);
    let inUse = content;
    let files: Record<string, string> | null = null;
    const lines: string[] = [];
    const main = join(tmp.path, 'followed');
    const service = new TriageService(main, () => inUse, (m) => lines.push(m), { ...FAST, train: 'in-process', versions: { root: `${main}-versions`, files: () => files } });
    await service.start();
    expect(service.modelDir()).toBe(main);

    // Published: the examples changed, so the model of the files no longer fits.
    inUse = changed;
    files = { 'intents/note.yaml': 'published in the studio\n' };
    service.contentChanged();
    await expect.poll(() => service.modelDir(), { timeout: 30_000 }).toBe(versionDir(`${main}-versions`, changed));
    expect(inspectModel(main, content, FAST.config).state).toBe('ok');

    // Rolled back to the files: their model is still there, loaded without a training.
    const trainings = lines.filter((l) => l.includes('training from intents/')).length;
    inUse = content;
    files = null;
    service.contentChanged();
    await expect.poll(() => service.modelDir(), { timeout: 10_000 }).toBe(main);
    expect(lines.filter((l) => l.includes('training from intents/')).length).toBe(trainings);
    await service.close();
  }, 60_000);

  it('stays on the lexicon with a reason when the model cannot be had', async () => {
    const service = new TriageService(join(tmp.path, 'none'), () => content, () => {}, { train: false });
    await service.start();
    expect(service.status()).toMatchObject({ ready: false, state: 'lexicon-only' });
    expect(service.status().reason).toMatch(/missing; run npm run train/);
    expect((await service.classify('привет', { priorRisk: 'low' })).risk).toBe('low');
  });
});

describe('label mapping for any model', () => {
  it('reads intent ids, topic/risk pairs, bare topics and bare risks', () => {
    expect(mapLabel('suicide_thoughts', undefined, content)).toMatchObject({ topic: 'suicide', risk: 'high', via: 'intent' });
    expect(mapLabel('x', { x: { topic: 'school', risk: 'low' } }, undefined)).toMatchObject({ topic: 'school', risk: 'low', via: 'label_meta' });
    expect(mapLabel('self_harm/imminent', undefined, content)).toMatchObject({ topic: 'self_harm', risk: 'imminent' });
    expect(mapLabel('high:violence', undefined, content)).toMatchObject({ topic: 'violence', risk: 'high' });
    expect(mapLabel('self-harm_medium', undefined, content)).toMatchObject({ topic: 'self_harm', risk: 'medium' });
    expect(mapLabel('Bullying', undefined, content)).toMatchObject({ topic: 'bullying', risk: 'medium', via: 'topic' });
    expect(mapLabel('imminent', undefined, content)).toMatchObject({ topic: 'other', risk: 'imminent', via: 'risk' });
    expect(mapLabel('LABEL_3', undefined, content)).toMatchObject({ topic: 'other', risk: 'none', via: 'unknown' });
  });
});
