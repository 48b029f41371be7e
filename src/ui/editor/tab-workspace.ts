import { openWorkspace, type Workspace } from '../../workspace';
import { DEFAULT_MANIFEST } from './default-manifest';

/** What a new workspace holds: the editor's default Pod and a small web app (Deployment, Service, Ingress). */
export const SEED_FILES: Record<string, string> = {
  'hello-pod.yaml': DEFAULT_MANIFEST,
  'web/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
`,
  'web/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
`,
  'web/ingress.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - host: web.example
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
`,
};

let opened: Promise<Workspace> | undefined;

/** The page's one workspace (IndexedDB "tabernetes-workspace"), seeded on the first visit; shared by the editor and the terminal. */
export function tabWorkspace(): Promise<Workspace> {
  return (opened ??= openWorkspace({ seed: SEED_FILES }));
}
