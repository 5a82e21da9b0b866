{{- define "perennial.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "perennial.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "perennial.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "perennial.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "perennial.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "perennial.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) -}}
{{- end -}}

{{/* S3 credentials of one process, from its secret. */}}
{{- define "perennial.s3Credentials" -}}
- name: PERENNIAL_S3_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ required (printf "s3.%s.credentialsSecret is required: a secret with the %s's S3 access and secret key" .who .who) .s3.credentialsSecret }}
      key: {{ .s3.accessKeyKey }}
- name: PERENNIAL_S3_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .s3.credentialsSecret }}
      key: {{ .s3.secretKeyKey }}
{{- end -}}

{{/* What both worker deployments take: Temporal connection and security, S3. */}}
{{- define "perennial.workerEnv" -}}
{{- $t := .Values.temporal -}}
- name: PERENNIAL_WORKER_ADDRESS
  value: "0.0.0.0"
- name: PERENNIAL_WORKER_PORT
  value: "8081"
{{ include "perennial.s3Credentials" (dict "who" "worker" "s3" .Values.s3.worker) }}
{{- if $t.apiKey.secretName }}
- name: PERENNIAL_TEMPORAL_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $t.apiKey.secretName }}
      key: {{ $t.apiKey.secretKey }}
{{- end }}
{{- if or $t.tls.enabled $t.tls.clientCertSecret $t.tls.trustStore.secretName }}
- name: SPRING_TEMPORAL_CONNECTION_ENABLE_HTTPS
  value: "true"
{{- end }}
{{- if $t.tls.clientCertSecret }}
- name: SPRING_TEMPORAL_CONNECTION_MTLS_CERT_CHAIN_FILE
  value: /etc/perennial/temporal-client/tls.crt
- name: SPRING_TEMPORAL_CONNECTION_MTLS_KEY_FILE
  value: /etc/perennial/temporal-client/tls.key
{{- end }}
{{- if $t.tls.serverName }}
- name: SPRING_TEMPORAL_CONNECTION_MTLS_SERVER_NAME
  value: {{ $t.tls.serverName | quote }}
{{- end }}
{{- if $t.tls.trustStore.secretName }}
- name: PERENNIAL_TRUST_STORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $t.tls.trustStore.secretName }}
      key: {{ $t.tls.trustStore.passwordKey }}
{{- end }}
{{- end -}}

{{/* JAVA_TOOL_OPTIONS: the deployment's JVM options, plus the trust store of a private CA. */}}
{{- define "perennial.javaOpts" -}}
{{- $opts := .javaOpts -}}
{{- if .root.Values.temporal.tls.trustStore.secretName -}}
{{- $opts = printf "%s -Djavax.net.ssl.trustStore=/etc/perennial/temporal-ca/%s -Djavax.net.ssl.trustStorePassword=$(PERENNIAL_TRUST_STORE_PASSWORD)" $opts .root.Values.temporal.tls.trustStore.storeKey -}}
{{- end -}}
{{- $opts | trim | quote -}}
{{- end -}}

{{- define "perennial.podAnnotations" -}}
checksum/config: {{ include (print .root.Template.BasePath "/configmap.yaml") .root | sha256sum }}
{{- if .root.Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: /actuator/prometheus
{{- end }}
{{- end -}}

{{/* Writable places under a read-only root file system; the plug-in volume when there is one. */}}
{{- define "perennial.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.plugins.volume }}
- name: plugins
  mountPath: /opt/perennial/plugins
  readOnly: true
{{- end }}
{{- end -}}

{{- define "perennial.volumes" -}}
- name: tmp
  emptyDir: {}
{{- if .Values.plugins.volume }}
- name: plugins
  {{- toYaml .Values.plugins.volume | nindent 2 }}
{{- end }}
{{- end -}}
