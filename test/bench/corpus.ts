/** Realistic layering Containerfiles for the benchmarks: varied package names so no cache can short-cut the work. */

const DIGEST = (n: number): string => `sha256:${n.toString(16).padStart(64, 'a')}`;

/** About 30 lines: a builder stage and a final stage with the patterns the docs use. */
export function typicalContainerfile(n = 1): string {
  return `# Custom worker image: monitoring agent and debugging tools
ARG RHCOS_IMAGE=quay.io/openshift-release-dev/ocp-v4.0-art-dev
ARG RHCOS_DIGEST=${DIGEST(n)}

FROM registry.access.redhat.com/ubi9/ubi@${DIGEST(n + 1)} AS builder
RUN dnf install -y golang-${n} make && \\
    dnf clean all
COPY agent/ /src/agent/
RUN make -C /src/agent build

FROM \${RHCOS_IMAGE}@\${RHCOS_DIGEST} AS final
COPY --from=builder /src/agent/bin/agent /usr/bin/node-agent-${n}
COPY agent/node-agent.service /usr/lib/systemd/system/node-agent.service
COPY agent/sysusers.conf /usr/lib/sysusers.d/node-agent.conf
RUN --mount=type=cache,target=/var/cache/libdnf5 \\
    dnf install -y \\
      tcpdump-${n} \\
      strace \\
      # keep the trace tools together
      ltrace \\
      sysstat-collect && \\
    systemctl enable node-agent.service && \\
    dnf clean all
RUN <<EOF
set -euo pipefail
if ! rpm -q jq-${n}; then
  dnf install -y jq
fi
dnf clean all
bootc container lint
EOF
`;
}

/** Roughly `lines` lines made of varied typical files. */
export function largeContainerfile(lines = 5000): string {
  const parts: string[] = [];
  let count = 0;
  for (let n = 1; count < lines; n++) {
    const part = typicalContainerfile(n);
    parts.push(part);
    count += part.split('\n').length;
  }
  return parts.join('\n');
}
