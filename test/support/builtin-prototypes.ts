/**
 * A snapshot of JavaScript's builtin objects (each constructor, its prototype, the iterator and generator prototypes,
 * Math, JSON, Reflect and the global object itself), to tell whether code wrote to them: a property added, removed or
 * redefined (value, getter, setter or attributes compared by identity), a prototype swapped, an object frozen or made
 * non-extensible. Prototype pollution (`Object.prototype.isAdmin = true` through a `__proto__` key) is one such write.
 */

interface PropertyState {
  readonly value?: unknown;
  readonly get?: unknown;
  readonly set?: unknown;
  readonly writable?: boolean;
  readonly enumerable?: boolean;
  readonly configurable?: boolean;
}

interface ObjectState {
  readonly name: string;
  readonly target: object;
  readonly prototype: object | null;
  readonly extensible: boolean;
  readonly properties: ReadonlyMap<PropertyKey, PropertyState>;
}

/** What `builtinChanges` compares against. */
export type BuiltinSnapshot = readonly ObjectState[];

const CONSTRUCTORS = [
  "Object", "Function", "Array", "String", "Number", "Boolean", "Symbol", "BigInt", "Date", "RegExp", "Error",
  "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError", "AggregateError", "Map", "Set",
  "WeakMap", "WeakSet", "WeakRef", "Promise", "ArrayBuffer", "SharedArrayBuffer", "DataView", "Uint8Array",
  "Int8Array", "Uint8ClampedArray", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array", "Float32Array",
  "Float64Array", "BigInt64Array", "BigUint64Array", "URL", "URLSearchParams", "TextEncoder", "TextDecoder",
] as const;

/** The builtin objects to watch, by a readable name. Read from the current realm's global object. */
function builtins(): Array<[string, object]> {
  const global = globalThis as unknown as Record<string, unknown>;
  const found: Array<[string, object]> = [["globalThis", globalThis]];
  for (const name of CONSTRUCTORS) {
    const constructor = global[name];
    if (typeof constructor !== "function") continue;
    found.push([name, constructor]);
    const prototype = (constructor as { prototype?: unknown }).prototype;
    if (typeof prototype === "object" && prototype !== null) found.push([`${name}.prototype`, prototype]);
  }
  const typedArray = Object.getPrototypeOf(Uint8Array) as { prototype: object };
  found.push(["%TypedArray%", typedArray], ["%TypedArray%.prototype", typedArray.prototype]);
  const arrayIterator = Object.getPrototypeOf([][Symbol.iterator]()) as object;
  found.push(["%ArrayIteratorPrototype%", arrayIterator], ["%IteratorPrototype%", Object.getPrototypeOf(arrayIterator) as object]);
  found.push(["%StringIteratorPrototype%", Object.getPrototypeOf(""[Symbol.iterator]()) as object]);
  found.push(["%MapIteratorPrototype%", Object.getPrototypeOf(new Map().entries()) as object]);
  found.push(["%SetIteratorPrototype%", Object.getPrototypeOf(new Set().values()) as object]);
  found.push(["%RegExpStringIteratorPrototype%", Object.getPrototypeOf(/x/[Symbol.matchAll]("x")) as object]);
  const generatorFunction = Object.getPrototypeOf(function* () {}) as object;
  found.push(["%GeneratorFunction.prototype%", generatorFunction], ["%GeneratorPrototype%", Object.getPrototypeOf((function* () {})()) as object]);
  found.push(["%AsyncFunction.prototype%", Object.getPrototypeOf(async function () {}) as object]);
  found.push(["Math", Math], ["JSON", JSON], ["Reflect", Reflect]);
  return found;
}

function stateOf(name: string, target: object): ObjectState {
  const properties = new Map<PropertyKey, PropertyState>();
  for (const key of Reflect.ownKeys(target)) {
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    if (descriptor !== undefined) properties.set(key, { ...descriptor });
  }
  return { name, target, prototype: Object.getPrototypeOf(target) as object | null, extensible: Object.isExtensible(target), properties };
}

/**
 * The builtins as they are now. Reading a descriptor can itself write: on Node 24, reading `globalThis.fetch`'s (a lazy
 * data property) loads undici, which defines its `Symbol(undici.globalDispatcher.1)` on globalThis. So the snapshot
 * is taken again until taking it changes nothing (the second time, measured).
 */
export function captureBuiltins(): BuiltinSnapshot {
  const take = () => builtins().map(([name, target]) => stateOf(name, target));
  let snapshot = take();
  for (let attempt = 0; attempt < 3 && builtinChanges(snapshot).length > 0; attempt++) snapshot = take();
  return snapshot;
}

const ATTRIBUTES = ["value", "get", "set", "writable", "enumerable", "configurable"] as const;

/**
 * What changed on the builtins since `before`, one line each (`Object.prototype[polluted] added`); empty when nothing
 * did. `ignore` names global-object keys that the test harness itself may change (they are not builtins).
 */
export function builtinChanges(before: BuiltinSnapshot, ignore: ReadonlySet<PropertyKey> = new Set()): string[] {
  const changes: string[] = [];
  for (const old of before) {
    const { target, name } = old;
    const skip = (key: PropertyKey) => target === globalThis && ignore.has(key);
    if (Object.getPrototypeOf(target) !== old.prototype) changes.push(`${name}: prototype replaced`);
    if (Object.isExtensible(target) !== old.extensible) changes.push(`${name}: made non-extensible`);
    const keys = Reflect.ownKeys(target);
    for (const key of keys) {
      if (skip(key)) continue;
      const was = old.properties.get(key);
      const is = Object.getOwnPropertyDescriptor(target, key) as PropertyState;
      if (was === undefined) changes.push(`${name}[${String(key)}] added`);
      else if (ATTRIBUTES.some((attribute) => !Object.is(is[attribute], was[attribute]))) changes.push(`${name}[${String(key)}] redefined`);
    }
    if (keys.length !== old.properties.size || changes.length > 0) {
      const now = new Set<PropertyKey>(keys);
      for (const key of old.properties.keys()) if (!now.has(key) && !skip(key)) changes.push(`${name}[${String(key)}] removed`);
    }
  }
  return changes;
}

/**
 * Puts the builtins back as `before` had them, as far as JavaScript allows (a non-extensible object stays so): added
 * properties deleted, changed or removed ones defined again, prototypes restored. So that one polluting input does not
 * make every later one look guilty.
 */
export function restoreBuiltins(before: BuiltinSnapshot): void {
  for (const old of before) {
    const { target } = old;
    if (Object.getPrototypeOf(target) !== old.prototype) Object.setPrototypeOf(target, old.prototype);
    for (const key of Reflect.ownKeys(target)) {
      if (!old.properties.has(key)) Reflect.deleteProperty(target, key);
    }
    for (const [key, was] of old.properties) {
      const is = Object.getOwnPropertyDescriptor(target, key) as PropertyState | undefined;
      if (is === undefined || ATTRIBUTES.some((attribute) => !Object.is(is[attribute], was[attribute]))) {
        try {
          Object.defineProperty(target, key, was as PropertyDescriptor);
        } catch {
          // non-configurable and changed: nothing can undo it
        }
      }
    }
  }
}
