// Reading and writing the app's IndexedDB records from a test, as a devtools user could.
// Only call these after the app has opened (and so created) the database.

export function records(page, store) {
  return page.evaluate(
    (store) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("spanwright");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const get = db.transaction(store).objectStore(store).getAll();
          get.onsuccess = () => {
            db.close();
            resolve(get.result);
          };
          get.onerror = () => reject(get.error);
        };
      }),
    store,
  );
}

export function putRecord(page, store, record) {
  return page.evaluate(
    ([store, record]) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("spanwright");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(store, "readwrite");
          tx.objectStore(store).put(record);
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    [store, record],
  );
}

// A real quota for the site, through the DevTools protocol: what the browser estimates and
// enforces (Chromium only).
export async function setQuota(page, bytes) {
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(page.url()).origin;
  await cdp.send("Storage.overrideQuotaForOrigin", bytes == null ? { origin } : { origin, quotaSize: bytes });
}

export async function usage(page) {
  return page.evaluate(async () => (await navigator.storage.estimate()).usage);
}

// Makes the browser refuse IndexedDB writes as a full disk does (QuotaExceededError from
// put): in the stores named in `always` from the start, and in the others while the page
// sets `window.storageFull`. `target` is a page or a browser context.
export function failWrites(target, { always = [] } = {}) {
  return target.addInitScript((always) => {
    const real = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args) {
      if (always.includes(this.name) || (window.storageFull && this.name !== "asides")) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      return real.apply(this, args);
    };
  }, always);
}
