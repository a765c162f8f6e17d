/**
 * The Deployment of deploy/k8s as `podman kube play` can run it on this one machine: the image
 * built here, one replica, the host's network (the pod listens on 127.0.0.1:<port> only: no
 * cluster network or ingress here), and the Secret's two values given directly (podman has no
 * Secret objects of the cluster). Everything else (securityContext, read-only root, emptyDirs,
 * probes, resources, env) is the manifest's own.
 *   tsx scripts/deploy/kubePlayManifest.ts <out.yaml> <port> <image>
 */
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";

const [out, port, image] = process.argv.slice(2);
if (!out || !port || !image) throw new Error("usage: kubePlayManifest.ts <out.yaml> <port> <image>");
const source = fileURLToPath(new URL("../../deploy/k8s/deployment.yaml", import.meta.url));
const deployment = parse(readFileSync(source, "utf8"));
deployment.spec.replicas = 1;
const pod = deployment.spec.template.spec;
pod.hostNetwork = true;
const [lab] = pod.containers;
lab.image = image;
type Env = { name: string; value?: string; valueFrom?: unknown };
const here: Record<string, string> = {
  HOST: "127.0.0.1",
  PORT: port,
  LEARNER_SECRET: randomBytes(32).toString("base64"),
  METRICS_TOKEN: randomBytes(32).toString("base64"),
};
lab.env = (lab.env as Env[]).map((e) => (e.name in here ? { name: e.name, value: here[e.name] } : e));
// On the host's network there is nothing to map (Podman refuses port mappings there).
delete lab.ports;
for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"])
  lab[probe].httpGet.port = Number(port);
writeFileSync(out, stringify(deployment));
console.log(`kube play manifest: ${out} (from deploy/k8s/deployment.yaml; image ${image}, port ${port})`);
