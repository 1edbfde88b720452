// tasks-vision 1.1.0 reports usage metrics to Google: every task creates a logger that POSTs
// protobuf batches to https://odml.pa.googleapis.com/v1/log with the global fetch(), every 60 s and
// when the task closes. The bundle has no switch for it. We replace fetch (and XHR) in the worker
// with a same-origin-only version; the logger treats the rejection as a network failure and stops
// itself, so at most one attempt per task is made and none leaves the page.

export interface GuardScope {
  fetch: typeof fetch;
  location: { href: string; origin: string };
  XMLHttpRequest?: { prototype: { open: (...args: never[]) => unknown } };
}

/** True for URLs that stay inside the page: same origin, blob: and data:. */
export function isLocalUrl(url: string, base: { href: string; origin: string }): boolean {
  let u: URL;
  try {
    u = new URL(url, base.href);
  } catch {
    return false;
  }
  if (u.protocol === "blob:" || u.protocol === "data:") return true;
  return u.origin === base.origin;
}

function urlOf(input: RequestInfo | URL): string {
  if (typeof input === "string") return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

/** Installs the guard; returns the list that records every blocked URL (for tests and diagnostics). */
export function installNetworkGuard(scope: GuardScope): string[] {
  const blocked: string[] = [];
  const original = scope.fetch.bind(scope);
  scope.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = urlOf(input);
    if (!isLocalUrl(url, scope.location)) {
      blocked.push(url);
      return Promise.reject(new TypeError(`facescope blocked a request leaving the page: ${url}`));
    }
    return original(input, init);
  }) as typeof fetch;
  const xhr = scope.XMLHttpRequest?.prototype;
  if (xhr) {
    const open = xhr.open;
    xhr.open = function (this: unknown, ...args: never[]) {
      const url = String(args[1]);
      if (!isLocalUrl(url, scope.location)) {
        blocked.push(url);
        throw new TypeError(`facescope blocked a request leaving the page: ${url}`);
      }
      return open.apply(this, args);
    };
  }
  return blocked;
}
