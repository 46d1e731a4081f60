{{/*
Helpers shared by the templates. Most take a context dict: root (the chart's $), name (the service), svc (the
service's values merged over serviceDefaults).
*/}}

{{/* The effective values of one service: serviceDefaults overridden by services.<name>. */}}
{{- define "modelmarket.svcValues" -}}
{{- $root := index . 0 -}}{{- $name := index . 1 -}}
{{- toYaml (mergeOverwrite (deepCopy $root.Values.serviceDefaults) (deepCopy (index $root.Values.services $name))) -}}
{{- end }}

{{- define "modelmarket.prefix" -}}
{{- .Release.Name | trunc 30 | trimSuffix "-" -}}
{{- end }}

{{- define "modelmarket.fullname" -}}
{{- printf "%s-%s" (include "modelmarket.prefix" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "modelmarket.chartLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: modelmarket
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "modelmarket.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{- define "modelmarket.labels" -}}
{{ include "modelmarket.selectorLabels" . }}
app.kubernetes.io/version: {{ include "modelmarket.tag" .root | quote }}
app.kubernetes.io/component: {{ ternary "gateway" "backend" (eq .name "gateway") }}
{{ include "modelmarket.chartLabels" .root }}
{{- end }}

{{- define "modelmarket.tag" -}}
{{- .Values.global.imageTag | default .Chart.AppVersion -}}
{{- end }}

{{- define "modelmarket.image" -}}
{{- $img := .svc.image -}}
{{- $repo := printf "%s/%s" (.root.Values.global.imageRegistry | trimSuffix "/") $img.repository | trimPrefix "/" -}}
{{- if $img.digest -}}
{{- printf "%s@%s" $repo $img.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo ($img.tag | default (include "modelmarket.tag" .root)) -}}
{{- end -}}
{{- end }}

{{/* Names of the engines' objects, whether the chart's operators run them or they are external. */}}
{{- define "modelmarket.kafkaCluster" -}}
{{- printf "%s-%s" (include "modelmarket.prefix" .) .Values.strimzi.clusterName -}}
{{- end }}
{{- define "modelmarket.esCluster" -}}
{{- printf "%s-%s" (include "modelmarket.prefix" .) .Values.eck.clusterName -}}
{{- end }}
{{- define "modelmarket.pgCluster" -}}
{{- printf "%s-pg-%s" (include "modelmarket.prefix" .root) .db -}}
{{- end }}
{{- define "modelmarket.keycloakName" -}}
{{- printf "%s-%s" (include "modelmarket.prefix" .) .Values.keycloakOperator.name -}}
{{- end }}

{{- define "modelmarket.kafkaBootstrap" -}}
{{- if .Values.strimzi.enabled -}}
{{- printf "%s-kafka-bootstrap:9093" (include "modelmarket.kafkaCluster" .) -}}
{{- else -}}
{{- .Values.kafka.bootstrapServers -}}
{{- end -}}
{{- end }}

{{- define "modelmarket.realmUrl" -}}
{{- if .Values.keycloakOperator.enabled -}}
{{- printf "http://%s-service:8080/realms/modelmarket" (include "modelmarket.keycloakName" .) -}}
{{- else -}}
{{- .Values.keycloak.realmUrl -}}
{{- end -}}
{{- end }}

{{/* The Kafka user of a service: the Strimzi KafkaUser's name, or services.<name>.kafka.user. */}}
{{- define "modelmarket.kafkaUser" -}}
{{- if .root.Values.strimzi.enabled -}}
{{- include "modelmarket.fullname" . -}}
{{- else -}}
{{- .svc.kafka.user -}}
{{- end -}}
{{- end }}

{{/* Quarkus properties of one service, written to config/application.properties. */}}
{{- define "modelmarket.properties" -}}
{{- $root := .root -}}{{- $svc := .svc -}}
{{- $props := dict -}}
{{- if $svc.kafka -}}
{{- $tls := or $root.Values.strimzi.enabled $root.Values.kafka.tls.enabled -}}
{{- $sasl := or $root.Values.strimzi.enabled $root.Values.kafka.sasl.enabled -}}
{{- $_ := set $props "kafka.security.protocol" (printf "%s%s" (ternary "SASL_" "" $sasl) (ternary "SSL" "PLAINTEXT" $tls)) -}}
{{- if $sasl -}}
{{- $_ := set $props "kafka.sasl.mechanism" (ternary "SCRAM-SHA-512" $root.Values.kafka.sasl.mechanism $root.Values.strimzi.enabled) -}}
{{- $module := ternary "org.apache.kafka.common.security.scram.ScramLoginModule" "org.apache.kafka.common.security.plain.PlainLoginModule" (or $root.Values.strimzi.enabled (hasPrefix "SCRAM" $root.Values.kafka.sasl.mechanism)) -}}
{{- $_ := set $props "kafka.sasl.jaas.config" (printf "%s required username=\"%s\" password=\"${MODELMARKET_KAFKA_PASSWORD}\";" $module (include "modelmarket.kafkaUser" .)) -}}
{{- end -}}
{{- if or $root.Values.strimzi.enabled $root.Values.kafka.tls.caSecret -}}
{{- $_ := set $props "kafka.ssl.truststore.type" "PEM" -}}
{{- $_ := set $props "kafka.ssl.truststore.location" "/etc/modelmarket/kafka-ca/ca.crt" -}}
{{- end -}}
{{- end -}}
{{- $props = mergeOverwrite $props (deepCopy $root.Values.global.config) (deepCopy ($svc.config | default dict)) -}}
# Rendered by the modelmarket chart; environment variables override these.
{{- range $key := keys $props | sortAlpha }}
{{ $key }}={{ index $props $key }}
{{- end }}
{{- end }}

{{- define "modelmarket.secretEnv" -}}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret | quote }}
      key: {{ .key | quote }}
{{- end }}

{{/* The environment of one service: engines, peers, then global and own env/extraEnv. */}}
{{- define "modelmarket.env" -}}
{{- $root := .root -}}{{- $svc := .svc -}}{{- $name := .name -}}{{- $v := $root.Values -}}
- name: QUARKUS_PROFILE
  value: {{ $v.global.quarkusProfile | quote }}
- name: QUARKUS_HTTP_PORT
  value: "8080"
- name: QUARKUS_HTTP_BODY_UPLOADS_DIRECTORY
  value: /tmp/uploads
- name: QUARKUS_SHUTDOWN_TIMEOUT
  value: {{ printf "%ds" (sub (int $svc.terminationGracePeriodSeconds) 15) | quote }}
- name: QUARKUS_OIDC_AUTH_SERVER_URL
  value: {{ include "modelmarket.realmUrl" $root | quote }}
{{- $issuer := $v.keycloak.tokenIssuer | default (ternary (printf "%s/realms/modelmarket" ($v.keycloakOperator.hostname | trimSuffix "/")) "" $v.keycloakOperator.enabled) }}
{{- if $issuer }}
- name: QUARKUS_OIDC_TOKEN_ISSUER
  value: {{ $issuer | quote }}
{{- end }}
{{ include "modelmarket.secretEnv" (dict "env" "QUARKUS_OIDC_CREDENTIALS_SECRET" "secret" $v.keycloak.clientSecretsSecret "key" $name) }}
{{- /* API tokens: the gateway signs what it forwards for them with signing-key, every service checks it against the
     set in public-keys (the kid picks the key; a set, so the key rotates without a failed request). The issuer has
     the same env name for both. */}}
- name: MODELMARKET_GATEWAY_TOKENS_ISSUER
  value: {{ $v.apiTokens.issuer | quote }}
{{- if eq $name "gateway" }}
{{ include "modelmarket.secretEnv" (dict "env" "MODELMARKET_GATEWAY_SIGNING_KEY" "secret" $v.apiTokens.keysSecret "key" "signing-key") }}
{{- else }}
{{ include "modelmarket.secretEnv" (dict "env" "MODELMARKET_GATEWAY_PUBLIC_KEYS" "secret" $v.apiTokens.keysSecret "key" "public-keys") }}
{{- end }}
{{- if $v.observability.otlpEndpoint }}
- name: QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ $v.observability.otlpEndpoint | quote }}
{{- end }}
{{- if $svc.kafka }}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ include "modelmarket.kafkaBootstrap" $root | quote }}
{{- if $v.strimzi.enabled }}
{{ include "modelmarket.secretEnv" (dict "env" "MODELMARKET_KAFKA_PASSWORD" "secret" (include "modelmarket.kafkaUser" .) "key" "password") }}
{{- else if $v.kafka.sasl.enabled }}
{{ include "modelmarket.secretEnv" (dict "env" "MODELMARKET_KAFKA_PASSWORD" "secret" $v.kafka.sasl.passwordSecret "key" $svc.kafka.user) }}
{{- end }}
{{- end }}
{{- if $svc.database }}
{{- $db := $svc.database }}
{{- $host := $v.postgresql.host }}{{- $port := int $v.postgresql.port }}{{- $ssl := $v.postgresql.sslMode }}
{{- $secret := $v.postgresql.credentialsSecret }}{{- $userKey := printf "%s-username" $db }}{{- $passKey := printf "%s-password" $db }}
{{- if $v.cloudnativepg.enabled }}
{{- $cluster := include "modelmarket.pgCluster" (dict "root" $root "db" $db) }}
{{- $host = printf "%s-rw" $cluster }}{{- $port = 5432 }}{{- $ssl = "require" }}
{{- $secret = printf "%s-app" $cluster }}{{- $userKey = "username" }}{{- $passKey = "password" }}
{{- end }}
- name: QUARKUS_DATASOURCE_REACTIVE_URL
  value: {{ printf "postgresql://%s:%d/%s?sslmode=%s" $host $port $db $ssl | quote }}
- name: QUARKUS_DATASOURCE_JDBC_URL
  value: {{ printf "jdbc:postgresql://%s:%d/%s?sslmode=%s" $host $port $db $ssl | quote }}
{{- if eq $ssl "require" }}
# The reactive client checks certificates unless told otherwise; CloudNativePG's are signed by its own CA.
- name: QUARKUS_DATASOURCE_REACTIVE_TRUST_ALL
  value: "true"
{{- end }}
{{ include "modelmarket.secretEnv" (dict "env" "QUARKUS_DATASOURCE_USERNAME" "secret" $secret "key" $userKey) }}
{{ include "modelmarket.secretEnv" (dict "env" "QUARKUS_DATASOURCE_PASSWORD" "secret" $secret "key" $passKey) }}
{{- end }}
{{- if $svc.elasticsearch }}
{{- if $v.eck.enabled }}
{{- $es := include "modelmarket.esCluster" $root }}
- name: QUARKUS_ELASTICSEARCH_HOSTS
  value: {{ printf "%s-es-http:9200" $es | quote }}
- name: QUARKUS_ELASTICSEARCH_PROTOCOL
  value: {{ ternary "https" "http" $v.eck.httpTls | quote }}
- name: QUARKUS_ELASTICSEARCH_USERNAME
  value: elastic
{{ include "modelmarket.secretEnv" (dict "env" "QUARKUS_ELASTICSEARCH_PASSWORD" "secret" (printf "%s-es-elastic-user" $es) "key" "elastic") }}
{{- else }}
- name: QUARKUS_ELASTICSEARCH_HOSTS
  value: {{ $v.elasticsearch.hosts | quote }}
- name: QUARKUS_ELASTICSEARCH_PROTOCOL
  value: {{ $v.elasticsearch.protocol | quote }}
{{- if $v.elasticsearch.username }}
- name: QUARKUS_ELASTICSEARCH_USERNAME
  value: {{ $v.elasticsearch.username | quote }}
{{ include "modelmarket.secretEnv" (dict "env" "QUARKUS_ELASTICSEARCH_PASSWORD" "secret" $v.elasticsearch.passwordSecret "key" $v.elasticsearch.passwordKey) }}
{{- end }}
{{- end }}
{{- end }}
{{- range $peer := $svc.calls | default list }}
- name: {{ printf "QUARKUS_REST_CLIENT_%s_URL" ($peer | trimSuffix "-service" | upper) }}
  value: {{ printf "http://%s:8080" (include "modelmarket.fullname" (dict "root" $root "name" $peer)) | quote }}
{{- end }}
{{- if $svc.objectStorage }}
{{- if $v.objectStorage.enabled }}
# The S3 adapter's settings (artifact-service); the AWS_* variables serve the AWS SDK's default providers.
- name: MODELMARKET_ARTIFACT_BLOB_STORE
  value: s3
- name: MODELMARKET_ARTIFACT_BLOB_S3_BUCKET
  value: {{ $v.objectStorage.bucket | quote }}
- name: MODELMARKET_ARTIFACT_BLOB_S3_ENDPOINT
  value: {{ $v.objectStorage.endpoint | quote }}
- name: MODELMARKET_ARTIFACT_BLOB_S3_PATH_STYLE_ACCESS
  value: {{ $v.objectStorage.pathStyleAccess | quote }}
- name: AWS_REGION
  value: {{ $v.objectStorage.region | quote }}
{{- if $v.objectStorage.credentialsSecret }}
{{ include "modelmarket.secretEnv" (dict "env" "AWS_ACCESS_KEY_ID" "secret" $v.objectStorage.credentialsSecret "key" "access-key-id") }}
{{ include "modelmarket.secretEnv" (dict "env" "AWS_SECRET_ACCESS_KEY" "secret" $v.objectStorage.credentialsSecret "key" "secret-access-key") }}
{{- end }}
{{- else }}
- name: MODELMARKET_ARTIFACT_BLOB_FILESYSTEM_ROOT
  value: /var/lib/modelmarket/blobs
{{- end }}
{{- end }}
{{- if eq $name "artifact-service" }}
{{- with include "modelmarket.publicUrl" $root }}
# Links in refusals ("subscribe here") and signed download URLs name the public site.
- name: MODELMARKET_ARTIFACT_ACCESS_PUBLIC_URL
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- if and (eq $name "gateway") $v.directDownloads (include "modelmarket.publicUrl" $root) }}
# Downloads: a 307 to artifact-service's signed URL on the public site, which the public route sends past the gateway
# (without a public URL, signed URLs could not name the site: the gateway relays).
- name: MODELMARKET_GATEWAY_FILES_DOWNLOAD
  value: redirect
{{- end }}
{{- range $k, $val := mergeOverwrite (deepCopy $v.global.env) (deepCopy ($svc.env | default dict)) }}
- name: {{ $k }}
  value: {{ $val | toString | quote }}
{{- end }}
{{- with $v.global.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- with $svc.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* An egress rule to an engine run outside this chart: networkPolicy.egress.<engine> ({to, ports}). */}}
{{- define "modelmarket.egressRule" -}}
- ports:
    {{- range .ports }}
    - {port: {{ . }}, protocol: TCP}
    {{- end }}
  {{- with .to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{/* The public base URL of the REST API: publicUrl, or derived from the public route; empty when there is none. */}}
{{- define "modelmarket.publicUrl" -}}
{{- $v := .Values -}}
{{- if $v.publicUrl -}}
{{- $v.publicUrl | trimSuffix "/" -}}
{{- else if $v.ingress.enabled -}}
{{- printf "%s://%s" (ternary "https" "http" (not (empty $v.ingress.rest.tlsSecret))) $v.ingress.rest.host -}}
{{- else if and $v.gatewayApi.enabled $v.gatewayApi.restHostnames -}}
{{- printf "https://%s" (first $v.gatewayApi.restHostnames) -}}
{{- end -}}
{{- end }}
