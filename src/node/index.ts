/**
 * src/node: Node-only code: helpers for tests and scripts, and the Node entry points (never imported by core or Worker code).
 * - wasi-toolchain.mjs: compileC (clang → wasm32-wasip1, cached in .cache/images); used by scripts/build-images.mjs.
 * - compileCFile: compile one C file to a WebAssembly.Module (tests of the WASI host).
 * - ensureImagesBuilt: run scripts/build-images.mjs once per process (tests that pull images).
 * - createFsImageSource: an ImageSource over public/images (or any OCI layout directory).
 * - createWorkerThreadsLauncher: the runtime's Worker launcher over worker_threads, one thread per container
 *   (container-thread.mjs shims `self` and loads src/workers/runtime/main.ts, bundled once by esbuild).
 * - startHttpServer: an ApiHandler as the Kubernetes HTTP API on 127.0.0.1 (JSON, watch as JSON lines, 413 > 3 MiB,
 *   bearer tokens and impersonation headers passed on for the apiserver to check); goJsonSyntaxError words malformed
 *   bodies as Go's encoding/json does; decodeProtobufObject turns the protobuf bodies real kubectl sends for
 *   typed creates (reviews, TokenRequest, ServiceAccount, Namespace, ConfigMap, Secret, and the generators'
 *   kinds in protobuf/kinds.ts: Deployment … PriorityClass, Eviction, DeleteOptions) into JSON (protobuf/).
 * - ws-remotecommand (the HTTP server's 'upgrade' listener): pods/exec and pods/attach over WebSocket
 *   (v5/v4.channel.k8s.io, framing in ws-channel-frames) and pods/portforward as kubectl 1.32 speaks it: SPDY/3.1
 *   tunneled over WebSocket (ws-portforward, SPDY framing and header zlib in ws-spdy-frames).
 * - createHttpTransport: an ApiHandler over fetch to any Kubernetes API server (the inverse of startHttpServer);
 *   withWebSocketExec (ws-exec-client) adds exec/attach over WebSocket to it, for npm run kubectl, and
 *   withWebSocketPortForward (ws-portforward-channel) port-forward; both over withWebSocketStreams (ws-stream-client).
 * - startServe (start-serve.ts; import it directly, it installs fake-indexeddb globally): memory store →
 *   startLocalCluster (worker_threads containers) → HTTP API, plus the kubeconfig.
 * - serveKubeconfig / resolveContext: the kubeconfig serve writes; kubectl's kubeconfig resolution (subset).
 * Entry points (run with tsx): serve.ts (`npm run serve`), kubectl-cli.ts (`npm run kubectl`).
 */
export { compileC, sourcesKey, TOOLCHAIN_VERSION } from './wasi-toolchain.mjs';
export { compileCFile } from './compile-c-file';
export { ensureImagesBuilt } from './ensure-images-built';
export { createFsImageSource, defaultImagesDir } from './fs-image-source';
export { createWorkerThreadsLauncher, createContainerThread } from './worker-threads-launcher';
export { startHttpServer, ADMIN_USER, MAX_REQUEST_BODY_BYTES, type HttpApiServer, type HttpServerOptions } from './http-server';
export { goJsonSyntaxError } from '../api/go-json-error';
export { decodeProtobufObject } from './protobuf-body';
export { createHttpTransport, type HttpTransportOptions } from './http-transport';
export { withWebSocketExec } from './ws-exec-client';
export { serveKubeconfig, resolveContext, CONTEXT_NAME, KubeconfigError, type ResolvedContext } from './kubeconfig';
