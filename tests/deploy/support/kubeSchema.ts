// Validates rendered Kubernetes objects two ways:
//   1. kubernetes-models: each kind's model runs the OpenAPI validator compiled
//      from the Kubernetes schemas (types, enums, required fields, formats);
//   2. an excess-property check, because those validators accept unknown
//      fields (the OpenAPI schemas do not set additionalProperties: false) and
//      the API server would reject or silently drop them. The known field names
//      come from the kubernetes-types declarations, walked with the TypeScript
//      checker, so a typo such as `imagePullPolicyy` is caught at any depth.
import { join } from "node:path";
import ts from "typescript";
import { REPO_ROOT, type KubeObject } from "./repo";

/** "apps/v1" -> "kubernetes-models/apps/v1"; "v1" (core) -> "kubernetes-models/v1". */
async function modelClass(apiVersion: string, kind: string): Promise<new (data: unknown) => { validate(): void }> {
  let module: Record<string, unknown>;
  try {
    module = await import(`kubernetes-models/${apiVersion}`);
  } catch {
    throw new Error(`kubernetes-models has no API group version ${apiVersion}`);
  }
  const model = module[kind];
  if (typeof model !== "function") throw new Error(`kubernetes-models has no kind ${kind} in ${apiVersion}`);
  return model as new (
    data: unknown,
  ) => { validate(): void };
}

/** Problems the kubernetes-models validator finds in `object` (empty when valid). */
export async function schemaProblems(object: KubeObject): Promise<string[]> {
  const Model = await modelClass(object.apiVersion, object.kind);
  try {
    new Model(withUnwrappedSecretData(object)).validate();
    return [];
  } catch (error) {
    const details = (error as { errors?: { instancePath?: string; message?: string }[] }).errors;
    if (Array.isArray(details) && details.length > 0)
      return details.map((e) => `${e.instancePath || "/"}: ${e.message}`);
    return [error instanceof Error ? error.message : String(error)];
  }
}

/**
 * kustomize wraps long base64 values in Secret data over several lines. The API
 * server's decoder (Go's encoding/base64) skips line breaks, the "byte" format
 * check in kubernetes-models does not; join the lines before validating.
 */
function withUnwrappedSecretData(object: KubeObject): KubeObject {
  if (object.kind !== "Secret" || !object.data) return object;
  const data = Object.fromEntries(
    Object.entries(object.data as Record<string, string>).map(([k, v]) => [k, v.replace(/[\r\n]/g, "")]),
  );
  return { ...object, data };
}

/** "apps/v1" -> "kubernetes-types/apps/v1"; "networking.k8s.io/v1" -> ".../networking/v1"; "v1" -> ".../core/v1". */
function typesModule(apiVersion: string): string {
  const parts = apiVersion.split("/");
  const [group, version] = parts.length === 1 ? ["core", parts[0]] : [parts[0]!.split(".")[0], parts[1]];
  return `kubernetes-types/${group}/${version}`;
}

class KubeTypes {
  private readonly checker: ts.TypeChecker;
  private readonly modules = new Map<string, ts.Symbol>();

  constructor(apiVersions: string[]) {
    const specifiers = [...new Set(apiVersions.map(typesModule))];
    const rootName = join(REPO_ROOT, "tests", "deploy", "support", "__kubernetesTypes__.ts");
    const rootText = specifiers
      .map((s, i) => `import type * as m${i} from ${JSON.stringify(s)};\nexport type { m${i} };\n`)
      .join("");
    const options: ts.CompilerOptions = {
      noEmit: true,
      skipLibCheck: true,
      types: [],
      lib: ["lib.es5.d.ts"],
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Node10,
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, languageVersion, ...rest) =>
      name === rootName
        ? ts.createSourceFile(name, rootText, languageVersion)
        : getSourceFile(name, languageVersion, ...rest);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === rootName || fileExists(name);
    const program = ts.createProgram([rootName], options, host);
    this.checker = program.getTypeChecker();
    const root = program.getSourceFile(rootName)!;
    for (const statement of root.statements) {
      if (!ts.isImportDeclaration(statement)) continue;
      const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
      const symbol = this.checker.getSymbolAtLocation(statement.moduleSpecifier);
      if (!symbol) throw new Error(`cannot resolve ${specifier} (is kubernetes-types installed?)`);
      this.modules.set(specifier, symbol);
    }
  }

  typeOf(apiVersion: string, kind: string): ts.Type {
    const specifier = typesModule(apiVersion);
    const module = this.modules.get(specifier);
    if (!module) throw new Error(`kubernetes-types module ${specifier} was not loaded`);
    const symbol = this.checker.getExportsOfModule(module).find((s) => s.name === kind);
    if (!symbol) throw new Error(`kubernetes-types has no ${kind} in ${specifier}`);
    return this.checker.getDeclaredTypeOfSymbol(symbol);
  }

  /** Paths of fields in `value` that `type` does not declare. */
  unknownFields(value: unknown, type: ts.Type, path: string, found: string[]): string[] {
    if (value === null || typeof value !== "object") return found;
    const candidates = this.objectCandidates(type, Array.isArray(value));
    if (candidates.length === 0) return found; // any, unknown, or free-form
    if (Array.isArray(value)) {
      const element = candidates.map((t) => this.checker.getTypeArguments(t as ts.TypeReference)[0]).find(Boolean);
      if (element) value.forEach((item, i) => this.unknownFields(item, element, `${path}[${i}]`, found));
      return found;
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = `${path}.${key}`;
      const property = candidates.map((t) => t.getProperty(key)).find(Boolean);
      if (property) {
        this.unknownFields(child, this.checker.getTypeOfSymbol(property), childPath, found);
        continue;
      }
      const index = candidates.map((t) => t.getStringIndexType()).find(Boolean);
      if (index) this.unknownFields(child, index, childPath, found);
      else if (candidates.some((t) => t.getProperties().length > 0)) found.push(childPath);
    }
    return found;
  }

  /** The object (or array) members of `type`, with undefined/null and primitives removed. */
  private objectCandidates(type: ts.Type, wantArray: boolean): ts.Type[] {
    const members = type.isUnion() ? type.types : [type];
    return members.filter((t) => {
      if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
      if (!(t.flags & ts.TypeFlags.Object)) return false;
      return this.checker.isArrayType(t) === wantArray;
    });
  }
}

let kubeTypes: KubeTypes | undefined;
const LOADED_VERSIONS = [
  "v1",
  "apps/v1",
  "networking.k8s.io/v1",
  "policy/v1",
  "autoscaling/v2",
  "batch/v1",
  "rbac.authorization.k8s.io/v1",
];

/** Fields of `object` that its kind does not have, as JSON-ish paths ("spec.template.spec.containers[0].imagePullPolicyy"). */
export function unknownFields(object: KubeObject): string[] {
  kubeTypes ??= new KubeTypes(LOADED_VERSIONS);
  const type = kubeTypes.typeOf(object.apiVersion, object.kind);
  return kubeTypes.unknownFields(object, type, "", []).map((p) => p.replace(/^\./, ""));
}

/** Both checks: schema problems and unknown fields, prefixed with the object's identity. */
export async function manifestProblems(object: KubeObject): Promise<string[]> {
  const id = `${object.kind}/${object.metadata?.name}`;
  const problems = [...(await schemaProblems(object)), ...unknownFields(object).map((p) => `unknown field ${p}`)];
  return problems.map((p) => `${id}: ${p}`);
}
