import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { etcHostsFile, nodeEtcHostsFile, podDnsConfig } from './pod-dns';

const pod = (spec: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({ metadata: { name: 'p', namespace: 'team' }, spec: { containers: [], ...spec } });

describe('pod DNS', () => {
  it('ClusterFirst: the cluster DNS and the namespace search path; hostNetwork falls back to none', () => {
    expect(podDnsConfig(pod())).toEqual({ servers: ['10.96.0.10'], searches: ['team.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] });
    expect(podDnsConfig(pod({ hostNetwork: true }))).toBeUndefined();
    expect(podDnsConfig(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }))?.servers).toEqual(['10.96.0.10']);
  });

  it('merges spec.dnsConfig; None uses it alone', () => {
    const dnsConfig = { nameservers: ['1.2.3.4'], searches: ['corp.example'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] };
    expect(podDnsConfig(pod({ dnsConfig }))).toEqual({
      servers: ['10.96.0.10', '1.2.3.4'],
      searches: ['team.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example'],
      options: ['ndots:2', 'edns0'],
    });
    expect(podDnsConfig(pod({ dnsPolicy: 'None', dnsConfig }))).toEqual({ servers: ['1.2.3.4'], searches: ['corp.example'], options: ['ndots:2', 'edns0'] });
    expect(podDnsConfig(pod({ dnsPolicy: 'Default' }))).toBeUndefined();
  });

  it('writes the kubelet-managed /etc/hosts with the subdomain FQDN and host aliases', () => {
    const text = etcHostsFile(pod({ hostname: 'web-0', subdomain: 'web', hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.remote', 'bar.remote'] }] }), '10.244.1.5');
    expect(text.split('\n').slice(7)).toEqual(['10.244.1.5\tweb-0.web.team.svc.cluster.local\tweb-0', '', '# Entries added by HostAliases.', '10.1.2.3\tfoo.remote\tbar.remote', '']);
    expect(etcHostsFile(pod(), '10.244.1.6').endsWith('fe00::2\tip6-allrouters\n10.244.1.6\tp\n')).toBe(true);
  });
});

describe('host-network /etc/hosts', () => {
  it("is the node's hosts file under kubelet's host-network header, then host aliases", () => {
    const text = nodeEtcHostsFile(pod({ hostNetwork: true, hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.remote'] }] }), '172.18.0.3', 'worker-1');
    expect(text).toBe(
      '# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n' +
        'ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n172.18.0.3\tworker-1\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo.remote\n',
    );
  });
});
