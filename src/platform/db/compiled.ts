import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema';

const SLOT = Symbol('value slot');
type Slot = { readonly [SLOT]: string };

function isSlot(value: unknown): value is Slot {
  return typeof value === 'object' && value !== null && SLOT in value;
}

/**
 * A query built and compiled once per store, then run with each call's values. The query builder builds
 * and compiles a query anew on every run: for the reads of every request (the session, a conversation
 * with its names, the context of a send) that cost the request thread more than SQLite takes to answer
 * them. `build` receives a stand-in for each named value, to be placed where a value goes (a comparison, a
 * limit); it must not branch on them nor spread them into a list, since the query is built only once.
 */
export function compiledOnce<Args extends Record<string, unknown>, Row>(
  build: (db: Kysely<Database>, args: Args) => Compilable<Row>,
): (db: Kysely<Database>, args: Args) => Promise<Row[]> {
  // By adapter: the store's instance and its transactions share it, and it tells the SQL dialect.
  const compiled = new WeakMap<object, CompiledQuery<Row>>();
  const slots = new Proxy(
    {},
    { get: (_target, name) => (typeof name === 'string' ? { [SLOT]: name } : undefined) },
  ) as Args;
  return async (db, args) => {
    const adapter = db.getExecutor().adapter;
    let query = compiled.get(adapter);
    if (!query) {
      query = build(db, slots).compile();
      compiled.set(adapter, query);
    }
    const parameters = query.parameters.map((value) => {
      if (!isSlot(value)) return value;
      const bound = args[value[SLOT]];
      if (bound === undefined) throw new Error(`No value for ${value[SLOT]}`);
      return bound;
    });
    return (await db.executeQuery<Row>({ ...query, parameters })).rows;
  };
}
