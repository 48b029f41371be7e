import type { Node, Pod, Service } from 'kubernetes-types/core/v1';
import type { ApiClient } from '../../client/api-client';
import { Services } from '../../api/resources';
import { proxyUrl } from '../sw/proxy-host';
import { openPreview } from '../preview/open-preview';
import { useResourceList } from './use-resource-list';

/** Every containerPort a pod declares (TCP), in container order. */
export function podPorts(pod: Pod): Array<{ container: string; port: number; name?: string }> {
  return (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => ({ container: c.name, port: p.containerPort, name: p.name })));
}

/**
 * An anchor to a /_/ URL: a plain click opens it in the preview pane, a modified click (Ctrl/Cmd/Shift, middle
 * button) in a new tab; clicks do not reach the enclosing row.
 */
export function OpenLink(props: { href: string; label?: string; testId: string }) {
  return (
    <a
      href={props.href}
      target="_blank"
      rel="noopener"
      data-testid={props.testId}
      onClick={(e) => {
        e.stopPropagation();
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        openPreview(props.href);
      }}
      style={{ marginLeft: 6 }}
    >
      {props.label ?? 'Open'}
    </a>
  );
}

/** "Open" on a pod row: its first declared port (none: nothing). */
export function PodOpenLink({ pod }: { pod: Pod }) {
  const first = podPorts(pod)[0];
  if (!first || !pod.status?.podIP) return null;
  return <OpenLink href={proxyUrl('pod', pod.metadata?.namespace ?? 'default', pod.metadata?.name ?? '', first.port)} testId="pod-open" />;
}

/** The pod panel's port list, each with an open link. */
export function PodPorts({ pod }: { pod: Pod }) {
  const ports = podPorts(pod);
  if (!ports.length) return null;
  const ns = pod.metadata?.namespace ?? 'default';
  return (
    <div data-testid="pod-ports">
      Ports:{' '}
      {ports.map((p) => (
        <span key={`${p.container}/${p.port}`} style={{ marginRight: 8 }}>
          {p.port}
          {p.name ? ` (${p.name})` : ''} <span className="muted">{p.container}</span>
          {pod.status?.podIP && <OpenLink href={proxyUrl('pod', ns, pod.metadata?.name ?? '', p.port)} testId="pod-port-open" />}
        </span>
      ))}
    </div>
  );
}

function internalIP(n: Node | undefined): string | undefined {
  return n?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}

/** Services with an Open link per TCP port (through the Service) and, for NodePorts, one through /_/nodeport/. */
export function ServicesList(props: { client: ApiClient | undefined; nodes: Node[] }) {
  const services = useResourceList<Service>(props.client, Services).filter((s) => s.spec?.type !== 'ExternalName' && !(s.metadata?.namespace === 'default' && s.metadata.name === 'kubernetes'));
  if (!services.length) return null;
  const nodeIP = internalIP(props.nodes.find((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')));
  return (
    <div className="services" data-testid="services">
      <strong>Services</strong>
      <ul className="pods">
        {services.map((s) => {
          const ns = s.metadata?.namespace ?? 'default';
          const name = s.metadata?.name ?? '';
          return (
            <li key={`${ns}/${name}`} data-testid="service" data-service={name}>
              <span className="muted">{ns}/</span>
              {name} <span className="badge">{s.spec?.type ?? 'ClusterIP'}</span>
              {(s.spec?.ports ?? [])
                .filter((p) => (p.protocol ?? 'TCP') === 'TCP')
                .map((p) => (
                  <span key={p.port}>
                    <OpenLink href={proxyUrl('service', ns, name, p.port)} label={`Open :${p.port}`} testId="service-open" />
                    {p.nodePort && nodeIP && <OpenLink href={proxyUrl('nodeport', p.nodePort)} label={`NodePort ${p.nodePort}`} testId="service-nodeport-open" />}
                  </span>
                ))}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
