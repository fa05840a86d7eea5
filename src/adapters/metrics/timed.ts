/**
 * Wraps an adapter so that each of its methods that returns a promise is
 * timed, without listing the methods (the port may grow): `observe` gets the
 * method's name, the seconds it took, and whether it failed.
 */
export function timed<T extends object>(
  target: T,
  observe: (method: string, seconds: number, failed: boolean, result: unknown) => void,
): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property, object);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      let wrapper = wrapped.get(property);
      if (!wrapper) {
        wrapper = (...args: unknown[]) => {
          const started = performance.now();
          const out = (value as (...a: unknown[]) => unknown).apply(object, args);
          if (!(out instanceof Promise)) return out;
          return out.then(
            (result) => {
              observe(property, (performance.now() - started) / 1000, false, result);
              return result;
            },
            (err: unknown) => {
              observe(property, (performance.now() - started) / 1000, true, undefined);
              throw err;
            },
          );
        };
        wrapped.set(property, wrapper);
      }
      return wrapper;
    },
  });
}
