import type { Service } from 'kubernetes-types/core/v1';
import type { Ingress } from 'kubernetes-types/networking/v1';
import type { ApiClient } from '../../client/api-client';
import { Ingresses, Services } from '../../api/resources';
import { INGRESS_CONTROLLER } from '../sw/proxy-host';
import { ingressAddress, ingressHosts, ingressPorts, ingressRoutes, ingressRouteUrl } from './ingress-routes';
import { OpenLink } from './open-links';
import { useResourceList } from './use-resource-list';

/** The ingress controller Service's external (LoadBalancer) IP, else its ClusterIP. */
function controllerAddress(services: Service[]): string | undefined {
  const svc = services.find((s) => s.metadata?.namespace === INGRESS_CONTROLLER.namespace && s.metadata?.name === INGRESS_CONTROLLER.service);
  return svc?.status?.loadBalancer?.ingress?.[0]?.ip || svc?.spec?.clusterIP || undefined;
}

/** Ingresses as kubectl get lists them (name, class, hosts, address, ports), each route with an Open link. */
export function IngressesList(props: { client: ApiClient | undefined }) {
  const ingresses = useResourceList<Ingress>(props.client, Ingresses);
  const services = useResourceList<Service>(props.client, Services);
  if (!ingresses.length) return null;
  const controller = controllerAddress(services);
  return (
    <div className="services" data-testid="ingresses">
      <strong>Ingresses</strong>
      <ul className="pods">
        {ingresses.map((ing) => {
          const ns = ing.metadata?.namespace ?? 'default';
          const name = ing.metadata?.name ?? '';
          const address = ingressAddress(ing);
          const routes = ingressRoutes(ing, address.split(',')[0] || controller);
          return (
            <li key={`${ns}/${name}`} className="ingress-row" data-testid="ingress" data-ingress={name}>
              <div className="ingress-head">
                <span>
                  <span className="muted">{ns}/</span>
                  {name}
                </span>
                <span className="badge">{ing.spec?.ingressClassName ?? '<none>'}</span>
              </div>
              <div className="muted ingress-meta">
                hosts <span data-testid="ingress-hosts">{ingressHosts(ing)}</span> · address <span data-testid="ingress-address">{address || '<pending>'}</span> · ports {ingressPorts(ing)}
              </div>
              {routes.length > 0 && (
                <ul className="ingress-routes">
                  {routes.map((r) => (
                    <li key={`${r.host}${r.path}${r.backend}`}>
                      <span className="muted">{r.named ? '' : '(any host) '}</span>
                      {r.host}
                      {r.path} <span className="muted">→ {r.backend}</span>
                      <OpenLink href={ingressRouteUrl(r)} label="Open" testId="ingress-open" />
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
