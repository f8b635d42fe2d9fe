#!/usr/bin/env python3
"""Regenerates docs/api.md from hack/api-docs/template.md: field tables and printer columns from the committed CRDs,
examples verbatim from deploy/examples/. Run after hack/update-crds.sh. Needs PyYAML (pip install pyyaml).
ApiDocsTest fails when docs/api.md no longer matches the CRDs."""
import glob
import json
import os
import re
import sys

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
crds = {}
for f in glob.glob(os.path.join(ROOT, 'crds', '*.yml')):
    c = yaml.safe_load(open(f))
    crds[c['spec']['names']['kind']] = c

ORDER = [
    ['Critical', 'High', 'Medium', 'Low'],
    ['AllUsers', 'KeyFeatures', 'FewUsers', 'Minimal'],
    ['Immediate', 'High', 'Medium', 'Low'],
    ['Alertmanager', 'Rollout', 'Manual'],
    ['Auto', 'Manual', 'Disabled'],
    ['Deployment', 'StatefulSet', 'DaemonSet'],
    ['Daily', 'Weekly', 'Custom'],
    ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
    ['Draft', 'InReview', 'Published'],
    ['Triggered', 'Acknowledged', 'Mitigating', 'Mitigated', 'Resolved'],
    ['Firing', 'Resolved'],
    ['True', 'False', 'Unknown'],
    ['Pending', 'Sent', 'Failed'],
    ['Slack', 'Teams', 'PagerDuty', 'Opsgenie', 'ServiceNow', 'Email', 'Webhook'],
    ['Trigger', 'Acknowledge', 'Update', 'Resolve'],
    ['Proposed', 'InProgress', 'Succeeded', 'Failed', 'Skipped'],
    ['Detected', 'AlertFiring', 'AlertResolved', 'Classified', 'Acknowledged', 'Escalated', 'Notified',
     'RemediationProposed', 'RemediationStarted', 'RemediationSucceeded', 'RemediationFailed', 'Update',
     'Resolved', 'Reopened', 'Note'],
]
def enum_order(vals):
    for o in ORDER:
        if set(o) == set(vals):
            return o
    raise SystemExit(f'unknown enum {vals}')

PATTERNS = {
    '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$': 'duration',
    '^([01][0-9]|2[0-3]):[0-5][0-9]$': 'time of day `HH:mm`',
    '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$': 'date `YYYY-MM-DD`',
    '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$': 'DNS-1123 name',
    '^https?://[^\\s]+$': 'http(s) URL',
    '^[^@\\s]+@[^@\\s]+$': 'email address',
}

# Fields the generated CRDs do not describe: standard Kubernetes types.
EXTRA = {
    'matchLabels': 'Labels the incident must all have, as key: value pairs (standard Kubernetes label selector).',
    'matchExpressions': 'Set-based requirements the incident\'s labels must all meet (standard Kubernetes label selector).',
    'key': 'The label key the requirement applies to.',
    'operator': 'In, NotIn, Exists or DoesNotExist.',
    'values': 'Label values for In and NotIn; must be empty for Exists and DoesNotExist.',
}

def esc(s):
    return s.replace('|', '\\|').replace('\n', ' ')

def typ(s):
    t = s.get('type', 'object')
    parts = []
    if t == 'array':
        it = s.get('items', {})
        inner = typ(it)
        base = f'array of {inner}' if it.get('type') in ('string', 'integer', 'boolean') or 'enum' in it else f'array of {it.get("type","object")}s'
        if 'enum' in it:
            base = 'array of enum'
        parts.append(base)
        if 'minItems' in s and 'maxItems' in s:
            parts.append(f'{s["minItems"]}–{s["maxItems"]} items')
        elif 'maxItems' in s:
            parts.append(f'at most {s["maxItems"]} items')
        elif 'minItems' in s:
            parts.append(f'at least {s["minItems"]} items')
        if 'enum' in it:
            parts.append('values: ' + ', '.join(f'`{v}`' for v in enum_order(it['enum'])))
        return '; '.join(parts)
    if t == 'object' and 'additionalProperties' in s:
        return 'map of string to string'
    if 'enum' in s:
        return 'enum: ' + ', '.join(f'`{v}`' for v in enum_order(s['enum']))
    base = t
    if s.get('format') == 'date-time':
        base = 'string (RFC 3339 date-time)'
    if 'pattern' in s:
        name = PATTERNS.get(s['pattern'])
        if name is None:
            base += f', pattern `{s["pattern"]}`'
        else:
            base = f'string ({name})'
            if name == 'email address':
                base += f', pattern `{s["pattern"]}`'
            if s['pattern'] == '^[-._a-zA-Z0-9]+$':
                pass
    parts.append(base)
    if 'minLength' in s and 'maxLength' in s:
        parts.append(f'{s["minLength"]}–{s["maxLength"]} chars')
    elif 'maxLength' in s:
        parts.append(f'at most {s["maxLength"]} chars')
    if 'minimum' in s and 'maximum' in s:
        parts.append(f'{int(s["minimum"])}–{int(s["maximum"])}')
    elif 'minimum' in s:
        parts.append(f'at least {int(s["minimum"])}')
    return ', '.join(parts)

def rows(s, path, required, out):
    props = s.get('properties', {})
    req = set(s.get('required', []))
    for name in sorted(props):
        p = props[name]
        fp = f'{path}.{name}'
        if 'default' in p:
            d = p['default']
            rd = f'default `{json.dumps(d) if isinstance(d, bool) else d}`'
        elif name in req:
            rd = 'required'
        else:
            rd = 'optional'
        desc = p.get('description') or EXTRA.get(name, '')
        if not p.get('description'):
            desc = desc + ' †'
        out.append(f'| `{fp}` | {esc(typ(p))} | {rd} | {esc(desc)} |')
        if p.get('type') == 'object' and 'properties' in p:
            rows(p, fp, req, out)
        if p.get('type') == 'array' and 'properties' in p.get('items', {}):
            rows(p['items'], fp + '[]', req, out)

def table(kind, top):
    sch = crds[kind]['spec']['versions'][0]['schema']['openAPIV3Schema']['properties'][top]
    out = ['| Field | Type | Required / default | Description |', '| --- | --- | --- | --- |']
    rows(sch, top, None, out)
    return '\n'.join(out)

def columns(kind):
    v = crds[kind]['spec']['versions'][0]
    out = ['| Column | JSONPath | Type |', '| --- | --- | --- |']
    for c in v['additionalPrinterColumns']:
        out.append(f'| {c["name"]} | `{esc(c["jsonPath"])}` | {c["type"]} |')
    return '\n'.join(out)



def main():
    template = open(os.path.join(ROOT, 'hack', 'api-docs', 'template.md')).read()

    def sub(m):
        what, *args = m.group(1).split(':')
        if what == 'COLUMNS':
            return columns(args[0])
        if what == 'TABLE':
            return table(args[0], args[1])
        if what == 'EXAMPLE':
            return open(os.path.join(ROOT, 'deploy', 'examples', args[0])).read().rstrip('\n')
        raise SystemExit('unknown placeholder ' + what)

    out = re.sub(r'\{\{([A-Za-z0-9:._-]+)\}\}', sub, template)
    if '{{' in out:
        raise SystemExit('unresolved placeholder in template')
    with open(os.path.join(ROOT, 'docs', 'api.md'), 'w') as f:
        f.write(out)
    print('docs/api.md:', len(out.splitlines()), 'lines')


if __name__ == '__main__':
    main()
