// The stand-in answers like the Bot API does (envelopes, long polling, offsets, conflicts), so the
// channel's tests mean something.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotApiStandIn } from './bot-api-stand-in.js';
import { TOKEN } from './harness.js';
import { newChild, textUpdate } from './updates.js';

let s: BotApiStandIn;
beforeAll(async () => {
  s = await BotApiStandIn.start({ token: TOKEN });
});
afterAll(async () => {
  await s.close();
});

async function call(method: string, body: object = {}, token = TOKEN) {
  const res = await fetch(`${s.url}/bot${token}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Bot API stand-in', () => {
  it('answers with the Bot API envelope; a wrong token is 401, an unknown method 404', async () => {
    expect(await call('getMe')).toMatchObject({ status: 200, body: { ok: true, result: { is_bot: true, username: 'helpline_test_bot' } } });
    expect(await call('getMe', {}, '1:wrong')).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    expect((await call('sendSomething')).status).toBe(404);
  });

  it('injects 429 with parameters.retry_after, 5xx and 403 for a blocked chat', async () => {
    s.failNext('sendMessage', { code: 429, retryAfter: 3 });
    expect(await call('sendMessage', { chat_id: 1, text: 'x' })).toEqual({
      status: 429,
      body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } },
    });
    s.failNext('sendMessage', { code: 500 });
    expect((await call('sendMessage', { chat_id: 1, text: 'x' })).body).toMatchObject({ ok: false, error_code: 500 });
    s.block(5);
    expect((await call('sendMessage', { chat_id: 5, text: 'x' })).body).toMatchObject({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    expect((await call('sendMessage', { chat_id: 1, text: 'x' })).body).toMatchObject({ ok: true, result: { chat: { id: 1 }, text: 'x' } });
  });

  it('validates like Telegram: empty text, too long text, callback_data over 64 bytes', async () => {
    expect((await call('sendMessage', { chat_id: 1, text: ' ' })).body).toMatchObject({ error_code: 400, description: 'Bad Request: message text is empty' });
    expect((await call('sendMessage', { chat_id: 1, text: 'x'.repeat(4097) })).body).toMatchObject({ description: 'Bad Request: message is too long' });
    const markup = { inline_keyboard: [[{ text: 'b', callback_data: 'x'.repeat(65) }]] };
    expect((await call('sendMessage', { chat_id: 1, text: 'x', reply_markup: markup })).body).toMatchObject({ description: 'Bad Request: BUTTON_DATA_INVALID' });
  });

  it('long-polls getUpdates until an update arrives, and forgets updates below the offset', async () => {
    const t0 = Date.now();
    const polling = call('getUpdates', { offset: 0, timeout: 5 });
    setTimeout(() => void s.push(textUpdate(newChild(), 'hello')), 150);
    const first = await polling;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    const updates = first.body.result as { update_id: number }[];
    expect(updates).toHaveLength(1);
    const next = await call('getUpdates', { offset: updates[0]!.update_id + 1, timeout: 0 });
    expect(next.body.result).toEqual([]);
  });

  it('getUpdates is a 409 conflict while a webhook is set', async () => {
    expect((await call('setWebhook', { url: 'https://example.org/hook', secret_token: 'abc' })).body).toEqual({ ok: true, result: true });
    expect((await call('getUpdates', {})).body).toMatchObject({ ok: false, error_code: 409 });
    await call('deleteWebhook');
    expect((await call('getUpdates', { timeout: 0 })).status).toBe(200);
  });
});
