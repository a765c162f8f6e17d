import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { k8sProblems } from "../deploy/k8sSchema.ts";

const DIR = fileURLToPath(new URL("../deploy/k8s/", import.meta.url));

/** Parsed YAML: its shape is what k8sProblems checks, so the tests below read it freely. */
// biome-ignore lint/suspicious/noExplicitAny: see above
type Loose = any;
type K8sObject = { apiVersion: string; kind: string; metadata: Loose; spec: Loose };

/** Every object the kustomization lists, as kubectl apply -k would send it (before its labels). */
function manifests(): K8sObject[] {
  const kustomization = parseAllDocuments(readFileSync(`${DIR}kustomization.yaml`, "utf8"))[0]!.toJS();
  return (kustomization.resources as string[]).flatMap((file) =>
    parseAllDocuments(readFileSync(`${DIR}${file}`, "utf8")).map((doc) => doc.toJS() as K8sObject),
  );
}

function ofKind(kind: string): K8sObject {
  const found = manifests().find((m) => m.kind === kind);
  if (!found) throw new Error(`no ${kind} in deploy/k8s`);
  return found;
}

describe("the Kubernetes manifests (deploy/k8s)", () => {
  it("are a Deployment, Service, Ingress, HPA, PDB and NetworkPolicy, each valid against the API schema with no unknown field", () => {
    const all = manifests();
    expect(all.map((m) => m.kind).sort()).toEqual(
      [
        "Deployment",
        "HorizontalPodAutoscaler",
        "Ingress",
        "NetworkPolicy",
        "PodDisruptionBudget",
        "Service",
      ].sort(),
    );
    for (const manifest of all)
      expect({ [manifest.kind]: k8sProblems(manifest) }).toEqual({ [manifest.kind]: [] });
  });

  it("catches a misspelt field and a wrong type, which the API server would ignore or refuse", () => {
    const deployment = structuredClone(ofKind("Deployment"));
    deployment.spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem = true;
    deployment.spec.replicas = "two";
    expect(k8sProblems(deployment)).toEqual([expect.stringMatching(/spec\/replicas/)]);
    deployment.spec.replicas = 2;
    expect(k8sProblems(deployment)).toEqual([
      "spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem: not a field of this object",
    ]);
  });

  it("runs the lab restricted: non-root, no capabilities, read-only root, emptyDir for the cache and /tmp, drained before it is killed", () => {
    const pod = ofKind("Deployment").spec.template.spec;
    const [lab] = pod.containers;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(lab.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    });
    const env = Object.fromEntries(lab.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    const mounts = Object.fromEntries(
      lab.volumeMounts.map((m: { name: string; mountPath: string }) => [m.mountPath, m.name]),
    );
    expect(mounts).toEqual({ [env.REAL_KERNEL_CACHE]: "cache", "/tmp": "tmp" });
    expect(pod.volumes.every((v: { emptyDir?: unknown }) => v.emptyDir)).toBe(true);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(Number(env.DRAIN_SECONDS) + 4);
    expect(lab.readinessProbe.httpGet.path).toBe("/readyz");
    expect(lab.livenessProbe.httpGet.path).toBe("/healthz");
    expect(env.HTTPS).toBe("true");
    expect(env.TRUST_PROXY).toBeTruthy();
  });

  it("lets nothing out of the pod, keeps WebSockets open an hour and sends new learners to the least-loaded pod", () => {
    const policy = ofKind("NetworkPolicy").spec;
    expect(policy.policyTypes).toContain("Egress");
    expect(policy.egress).toEqual([]);
    const annotations = ofKind("Ingress").metadata.annotations;
    expect(annotations).toMatchObject({
      "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
      "nginx.ingress.kubernetes.io/load-balance": "least_conn",
    });
  });
});
