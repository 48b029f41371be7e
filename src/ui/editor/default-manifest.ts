/** What the editor holds on first visit: a Pod running the hello-world WASI program. */
export const DEFAULT_MANIFEST = `# Edit and press Apply (Ctrl/Cmd+Enter). Then try in the terminal:
#   kubectl get pods
#   kubectl logs hello
#   kubectl describe pod hello
apiVersion: v1
kind: Pod
metadata:
  name: hello
  labels:
    app: hello
spec:
  restartPolicy: Never
  containers:
  - name: hello
    image: hello-world
    args: ["--from", "the editor"]
    env:
    - name: GREETING
      value: Hello, Kubernetes!
`;
