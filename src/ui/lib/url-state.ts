/**
 * Settings live in the URL query, so a shared link reproduces what the sender saw.
 * Only known keys are read; values are validated by the caller.
 */
export function readParam(name: string): string | null {
  return new URLSearchParams(location.search).get(name);
}

export function writeParams(values: Record<string, string | number | null | undefined>): void {
  const params = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(values)) {
    if (v === null || v === undefined || v === '') params.delete(k);
    else params.set(k, String(v));
  }
  const query = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${query ? '?' + query : ''}${location.hash}`);
}
