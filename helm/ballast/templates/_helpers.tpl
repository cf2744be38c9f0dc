{{/* Names, labels and the configuration file Ballast reads. */}}

{{- define "ballast.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ballast.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "ballast.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ballast.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ballast.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "ballast.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "ballast.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "ballast.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Whether the API is served over HTTPS (security.tls.enabled in config). */}}
{{- define "ballast.scheme" -}}
{{- if and .Values.config.security .Values.config.security.tls .Values.config.security.tls.enabled -}}HTTPS{{- else -}}HTTP{{- end -}}
{{- end -}}

{{/*
The configuration file: the user's `config` with the keys the chart manages laid over it (the
listening address, the files it mounts: capacities, Kafka TLS, API users; and the leader lock
whenever there is more than one replica).
*/}}
{{- define "ballast.config" -}}
{{- $managed := dict "server" (dict "host" "0.0.0.0" "port" (int .Values.containerPort)) -}}
{{- if .Values.capacities -}}
{{- $_ := set $managed "monitor" (dict "capacity" (dict "file" "/etc/ballast/capacity/capacity.json")) -}}
{{- end -}}
{{- with .Values.secrets.kafkaTls -}}
{{- if .existingSecret -}}
{{- $tls := dict "enabled" true "caFile" (printf "/etc/ballast/kafka-tls/%s" .caKey) -}}
{{- if .certKey -}}{{- $_ := set $tls "certFile" (printf "/etc/ballast/kafka-tls/%s" .certKey) -}}{{- end -}}
{{- if .keyKey -}}{{- $_ := set $tls "keyFile" (printf "/etc/ballast/kafka-tls/%s" .keyKey) -}}{{- end -}}
{{- $_ := set $managed "kafka" (dict "tls" $tls) -}}
{{- end -}}
{{- end -}}
{{- if gt (int .Values.replicaCount) 1 -}}
{{- $_ := set $managed "leaderElection" (dict "enabled" true) -}}
{{- end -}}
{{- if .Values.secrets.apiUsers.existingSecret -}}
{{- $_ := set $managed "security" (dict "basic" (dict "credentialsFile" (printf "/etc/ballast/api-users/%s" .Values.secrets.apiUsers.key))) -}}
{{- end -}}
{{- toYaml (mustMergeOverwrite (deepCopy .Values.config) $managed) -}}
{{- end -}}
