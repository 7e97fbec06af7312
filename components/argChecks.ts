/** Component arguments: defaults first, the caller's defined values last so they win (undefined does not erase a default). */
export function withDefaults<T extends object>(defaults: Partial<T>, args: T): T {
  const given = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined));
  return { ...defaults, ...given } as T;
}

export function isWholeBetween(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}
