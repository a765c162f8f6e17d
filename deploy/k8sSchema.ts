/**
 * Validates Kubernetes objects offline against the API's schemas (kubernetes-models), unknown
 * fields included. The models' validators reject wrong types and missing fields but accept any
 * field they do not know (a misspelt `readOnlyRootFileSystem` would pass and then be ignored by
 * the API server, with a warning nobody reads). So the object is handed to the validator behind a
 * Proxy that notes every field the validator looks at: a field it never looked at is one the
 * schema does not have. Maps (labels, resources.requests) are walked whole, and count as known.
 */
import { validate as deployment } from "kubernetes-models/_schemas/IoK8sApiAppsV1Deployment";
import { validate as hpa } from "kubernetes-models/_schemas/IoK8sApiAutoscalingV2HorizontalPodAutoscaler";
import { validate as service } from "kubernetes-models/_schemas/IoK8sApiCoreV1Service";
import { validate as ingress } from "kubernetes-models/_schemas/IoK8sApiNetworkingV1Ingress";
import { validate as networkPolicy } from "kubernetes-models/_schemas/IoK8sApiNetworkingV1NetworkPolicy";
import { validate as pdb } from "kubernetes-models/_schemas/IoK8sApiPolicyV1PodDisruptionBudget";

/** A compiled schema validator (Ajv's): answers, and leaves what failed in `errors`. */
type Validator = ((data: unknown) => boolean) & {
  errors?: Array<{ instancePath: string; message?: string; keyword: string; params: unknown }> | null;
};

const SCHEMAS: Record<string, Validator> = {
  "apps/v1/Deployment": deployment,
  "v1/Service": service,
  "networking.k8s.io/v1/Ingress": ingress,
  "networking.k8s.io/v1/NetworkPolicy": networkPolicy,
  "autoscaling/v2/HorizontalPodAutoscaler": hpa,
  "policy/v1/PodDisruptionBudget": pdb,
};

/** The problems with one object: schema errors first, then unknown fields by path. */
export function k8sProblems(object: { apiVersion?: string; kind?: string }): string[] {
  const validate = SCHEMAS[`${object.apiVersion}/${object.kind}`];
  if (!validate) return [`no schema here for ${object.apiVersion} ${object.kind}`];
  const nodes = new Map<object, Watched>();
  const root = watch(structuredClone(object), nodes);
  if (!validate(root)) {
    return (validate.errors ?? []).map(
      (e) => `${e.instancePath || "/"}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
    );
  }
  return unknownFields(root, nodes);
}

/** What a proxy stands for, and which of its fields the validator read ("all": it walked them). */
type Watched = { target: Record<string, unknown>; read: Set<string> | "all" };

/** The object behind proxies that note reads (get) and whole walks (ownKeys), at every depth. */
function watch(value: unknown, nodes: Map<object, Watched>): unknown {
  if (value === null || typeof value !== "object") return value;
  const target = value as Record<string, unknown>;
  for (const key of Object.keys(target)) target[key] = watch(target[key], nodes);
  const node: Watched = { target, read: new Set() };
  const proxy = new Proxy(target, {
    get(t, key, receiver) {
      if (typeof key === "string" && node.read !== "all") node.read.add(key);
      return Reflect.get(t, key, receiver);
    },
    ownKeys(t) {
      node.read = "all";
      return Reflect.ownKeys(t);
    },
  });
  nodes.set(proxy, node);
  return proxy;
}

/** Walks the targets (not the proxies, which would count the walk as the validator's). */
function unknownFields(proxy: unknown, nodes: Map<object, Watched>, path = ""): string[] {
  const node = proxy !== null && typeof proxy === "object" ? nodes.get(proxy) : undefined;
  if (!node) return [];
  const array = Array.isArray(node.target);
  const problems: string[] = [];
  for (const key of Reflect.ownKeys(node.target)) {
    if (typeof key !== "string" || (array && key === "length")) continue;
    const at = array ? `${path}[${key}]` : `${path}.${key}`;
    if (!array && node.read !== "all" && !node.read.has(key)) {
      problems.push(`${at.slice(1)}: not a field of this object`);
      continue;
    }
    problems.push(...unknownFields(node.target[key], nodes, at));
  }
  return problems;
}
