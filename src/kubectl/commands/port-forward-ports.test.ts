import { describe, expect, it } from 'vitest';
import type { Pod, Service } from 'kubernetes-types/core/v1';
import { convertPodNamedPorts, listenAddresses, parsePorts, translateServicePorts } from './port-forward-ports';

const pod: Pod = { metadata: { name: 'web-1' }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 8080, name: 'http' }] }] } };
const svc: Service = { metadata: { name: 'web' }, spec: { ports: [{ name: 'web', port: 80, targetPort: 'http' }, { port: 90, targetPort: 9090 }, { port: 91 }] } };

describe('port-forward ports', () => {
  it("maps a Service's ports (number or name) to the pod's target ports as kubectl does", () => {
    expect(translateServicePorts(['8000:80', '80', 'web', ':90', '91'], svc, pod)).toEqual(['8000:8080', '80:8080', '80:8080', ':9090', '91']);
    expect(() => translateServicePorts(['81'], svc, pod)).toThrow('error: Service web does not have a service port 81');
    expect(() => translateServicePorts(['nope'], svc, pod)).toThrow("error: Service 'web' does not have a named port 'nope'");
  });

  it("converts a pod's named ports and parses LOCAL:REMOTE like client-go", () => {
    expect(convertPodNamedPorts(['http', '9000:http', ':80'], pod)).toEqual(['8080', '9000:8080', ':80']);
    expect(() => convertPodNamedPorts(['x'], pod)).toThrow("error: Pod 'web-1' does not have a named port 'x'");
    expect(() => convertPodNamedPorts(['8080:'], pod)).toThrow('error: remote port cannot be empty');
    expect(parsePorts(['8080:80', ':80', '443'])).toEqual([{ local: 8080, remote: 80 }, { local: 0, remote: 80 }, { local: 443, remote: 443 }]);
    expect(() => parsePorts(['x:80'])).toThrow(`error: error parsing local port 'x': strconv.ParseUint: parsing "x": invalid syntax`);
    expect(() => parsePorts(['80:70000'])).toThrow(`error: error parsing remote port '70000': strconv.ParseUint: parsing "70000": value out of range`);
    expect(() => parsePorts(['1:2:3'])).toThrow("error: invalid port format '1:2:3'");
  });

  it('listens on 127.0.0.1 and ::1 for localhost (either may fail), on each --address otherwise', () => {
    expect(listenAddresses([])).toEqual([{ ip: '127.0.0.1', failureMode: 'all' }, { ip: '::1', failureMode: 'all' }]);
    expect(listenAddresses(['0.0.0.0'])).toEqual([{ ip: '0.0.0.0', failureMode: 'any' }]);
  });
});
