/**
 * Where a parsed JSON value holds a key that could reach an object's prototype if code merged it
 * into another object: "__proto__", or "constructor" holding a "prototype". Returns its path
 * (e.g. input.__proto__), or null. Walks with a stack, so any depth is safe.
 */
export function prototypeKeyPath(value: unknown): string | null {
  const pending: [unknown, string][] = [[value, '']];
  while (pending.length > 0) {
    const [current, path] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (Array.isArray(current)) {
      current.forEach((item, index) => pending.push([item, `${path}[${index}]`]));
      continue;
    }
    for (const [key, child] of Object.entries(current as Record<string, unknown>)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      if (key === '__proto__') return childPath;
      if (key === 'constructor' && typeof child === 'object' && child !== null && Object.hasOwn(child, 'prototype')) return `${childPath}.prototype`;
      pending.push([child, childPath]);
    }
  }
  return null;
}
