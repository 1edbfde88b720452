// Loads tasks-vision's Emscripten loader script ourselves and hands it to the library through
// `self.ModuleFactory` (an empty wasmLoaderPath makes tasks-vision skip its own loading). Its own
// path uses importScripts, which throws in module workers, then a dynamic import() that bundlers
// rewrite into a dead context module. Our path works in classic and module workers alike (the
// module-worker path needs CSP to allow eval, as wasm itself needs 'wasm-unsafe-eval').

type Factory = (arg: unknown) => Promise<unknown>;
interface FactoryScope { ModuleFactory?: Factory; importScripts?: (url: string) => void }

let cached: Factory | undefined;

async function load(url: string, scope: FactoryScope): Promise<Factory> {
  try {
    scope.importScripts?.(url);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    // Module worker (webpack emits module workers when the output is ESM). The loader must run as a
    // sloppy classic script: it declares functions inside blocks and relies on them escaping, which
    // strict module code forbids. Indirect eval runs it in global scope, like importScripts would.
    const code = await (await fetch(url)).text();
    // biome-ignore lint/security/noGlobalEval: the point, said above (the script is MediaPipe's own loader, fetched from the same origin as the model's wasm)
    // biome-ignore lint/complexity/noCommaOperator: `(0, eval)` is what makes the eval indirect, so global
    (0, eval)(`${code}\n//# sourceURL=${url}`);
  }
  if (typeof scope.ModuleFactory !== "function") throw new Error(`the MediaPipe wasm loader at ${url} did not define ModuleFactory`);
  return scope.ModuleFactory;
}

/** Call before each createFromOptions: tasks-vision clears ModuleFactory after instantiating. */
export async function provideModuleFactory(loaderUrl: string): Promise<void> {
  const scope = globalThis as unknown as FactoryScope;
  cached ??= await load(loaderUrl, scope);
  scope.ModuleFactory = cached;
}
