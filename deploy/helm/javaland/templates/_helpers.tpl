{{/* Labels every object of the chart carries; the selector uses the first two. */}}
{{- define "javaland.selector" -}}
app.kubernetes.io/name: javaland
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
{{- define "javaland.labels" -}}
{{ include "javaland.selector" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
{{- define "javaland.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
