// Settings normalisation and the settings store, in process.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeSettings, SettingsStore } from '../src/settings';

describe('settings', () => {
  it('keeps only well-typed values', () => {
    const s = normalizeSettings({ rules: { a: 'off', b: 'loud', c: 3 }, trace: { server: 'verbose' }, validate: { debounceMs: -5 } });
    assert.deepEqual(s.rules, { a: 'off' });
    assert.equal(s.trace.server, 'verbose');
    assert.equal(s.validate.debounceMs, 75);
    assert.equal(normalizeSettings({ validate: { debounceMs: 1e9 } }).validate.debounceMs, 10_000);
    assert.deepEqual(normalizeSettings('nonsense'), normalizeSettings(undefined));
  });

  it('pulls per document, and falls back to the global settings when the client does not answer', async () => {
    const asked: (string | undefined)[] = [];
    const errors: string[] = [];
    const store = new SettingsStore(
      {
        getConfiguration: (item) => {
          asked.push(item.scopeUri);
          if (item.scopeUri === 'file:///silent') return new Promise(() => undefined);
          if (item.scopeUri === 'file:///broken') return Promise.reject(new Error('no'));
          return Promise.resolve({ rules: { [item.scopeUri ?? 'global']: 'off' } });
        },
      },
      (m) => errors.push(m),
      20,
    );
    store.canPull = true;
    // the store's timeout timer is unref'd (it must not keep a server alive); keep this test's loop alive
    const keepAlive = setInterval(() => undefined, 1000);
    try {
    await store.refresh();
    assert.deepEqual(store.global.rules, { global: 'off' });
    assert.deepEqual((await store.forDocument('file:///a')).rules, { 'file:///a': 'off' });
    assert.deepEqual(store.known('file:///a').rules, { 'file:///a': 'off' });
    await store.forDocument('file:///a');
    assert.deepEqual(asked, [undefined, 'file:///a'], 'cached until the next refresh');
    assert.deepEqual((await store.forDocument('file:///silent')).rules, { global: 'off' });
    assert.deepEqual((await store.forDocument('file:///broken')).rules, { global: 'off' });
    assert.equal(errors.length, 1);
    } finally {
      clearInterval(keepAlive);
    }
  });
});
