// The demo's admin page: every form is rendered by @json-editor/json-editor from the
// method's JSON schema (admin/method/list/); saving goes to the admin API, whose
// 400 validation_failed field errors are shown at the fields they name.
'use strict';

const API = '/api/v1/auth/2factor';
const TOKEN_KEY = 'two-factor-admin-token';
const $ = (selector) => document.querySelector(selector);
const editors = [];

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token() ? { Authorization: `Bearer ${token()}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw Object.assign(new Error(data?.message ?? response.statusText), { status: response.status, body: data });
  return data;
}

/** The form's schema: the method config's own fields around the method's global config schema. */
function formSchema(method) {
  return {
    type: 'object',
    title: ' ',
    required: ['title', 'is_active', 'is_default', 'config'],
    properties: {
      title: { type: 'string', title: 'Title', maxLength: 255, propertyOrder: 1 },
      is_active: { type: 'boolean', title: 'Active', format: 'checkbox', propertyOrder: 2 },
      is_default: { type: 'boolean', title: 'Default', format: 'checkbox', propertyOrder: 3 },
      config: { ...method.global_config_schema, title: 'Global config', propertyOrder: 4 },
    },
  };
}

/** Shows each field error of a 400 at its field (`config.digits` is the editor `root.config.digits`), and all of them in a list. */
function showFieldErrors(editor, section, fields) {
  const list = section.querySelector('.field-errors');
  list.replaceChildren();
  for (const { field, message } of fields) {
    const item = document.createElement('li');
    item.dataset.field = field;
    item.textContent = `${field}: ${message}`;
    list.append(item);
    const fieldEditor = editor.getEditor(`root.${field}`);
    if (fieldEditor && fieldEditor.input) fieldEditor.theme.addInputError(fieldEditor.input, message);
  }
}

function renderMethodConfig(container, config, method) {
  const section = document.createElement('section');
  section.className = 'method-config';
  section.dataset.id = String(config.id);
  section.dataset.method = config.method;
  section.innerHTML =
    '<h2></h2><p class="meta"></p><div class="form"></div><button type="button" class="save">Save</button> <span class="status" role="status"></span><ul class="field-errors" role="alert"></ul>';
  section.querySelector('h2').textContent = config.title || config.verbose_name;
  section.querySelector('.meta').textContent = `#${config.id} · ${config.verbose_name} (${config.method}) · ${config.user_configs} user config(s)`;
  container.append(section);
  if (!method) {
    section.querySelector('.status').textContent = 'This method is not registered in the app: nothing to edit.';
    section.querySelector('.save').remove();
    return;
  }
  const editor = new window.JSONEditor(section.querySelector('.form'), {
    schema: formSchema(method),
    startval: { title: config.title, is_active: config.is_active, is_default: config.is_default, config: config.config },
    theme: 'html',
    iconlib: null,
    disable_collapse: true,
    disable_edit_json: true,
    disable_properties: true,
    disable_array_delete_all_rows: true,
    disable_array_delete_last_row: true,
    no_additional_properties: true,
    remove_empty_properties: true,
    // Only the server's verdict is shown, so what the page says is what the API decided.
    show_errors: 'never',
  });
  editors.push(editor);
  section.querySelector('.save').addEventListener('click', async () => {
    const status = section.querySelector('.status');
    status.className = 'status';
    status.textContent = 'Saving…';
    showFieldErrors(editor, section, []);
    try {
      const saved = await call('PUT', `${API}/admin/method-config/${config.id}/update/`, editor.getValue());
      section.querySelector('h2').textContent = saved.title || saved.verbose_name;
      status.className = 'status saved';
      status.textContent = 'Saved.';
    } catch (error) {
      status.className = 'status error';
      status.textContent = error.message;
      if (error.body?.code === 'validation_failed') showFieldErrors(editor, section, error.body.details.fields);
    }
  });
}

async function load() {
  $('#load-error').textContent = '';
  const container = $('#method-configs');
  while (editors.length) editors.pop().destroy();
  container.replaceChildren();
  try {
    const [methods, configs] = await Promise.all([call('GET', `${API}/admin/method/list/`), call('GET', `${API}/admin/method-config/list/`)]);
    const byKey = new Map(methods.map((method) => [method.key, method]));
    for (const config of configs) renderMethodConfig(container, config, byKey.get(config.method));
    $('#sign-in').hidden = true;
    $('#whoami').hidden = false;
    $('#access-code').hidden = false;
    document.body.dataset.ready = 'true';
  } catch (error) {
    $('#load-error').textContent = error.status === 403 ? 'This user is not an admin.' : error.message;
    if (error.status === 401 || error.status === 403) signOut(false);
  }
}

function signOut(clearMessage = true) {
  sessionStorage.removeItem(TOKEN_KEY);
  $('#sign-in').hidden = false;
  $('#whoami').hidden = true;
  $('#access-code').hidden = true;
  $('#access-code .access-code-result').textContent = '';
  $('#method-configs').replaceChildren();
  if (clearMessage) $('#load-error').textContent = '';
}

$('#sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  $('#sign-in-error').textContent = '';
  try {
    const answer = await call('POST', '/api/v1/auth/login', { username: form.get('username'), password: form.get('password') });
    const session = answer.two_factor_required ? await secondStep(answer) : answer;
    sessionStorage.setItem(TOKEN_KEY, session.access_token);
    await load();
  } catch (error) {
    $('#sign-in').hidden = false;
    $('#sign-in-error').textContent = error.message;
  }
});

/** A user with a factor finishes signing in with it (second-step.js); the password form waits meanwhile. */
async function secondStep(pending) {
  $('#sign-in').hidden = true;
  $('#sign-in').elements.password.value = '';
  return window.SecondStep.run($('#second-step'), pending);
}
$('#sign-out').addEventListener('click', () => signOut());

// Issue 22: the lost-device path instead of deleting a user's factors. The code is shown here once.
$('#access-code').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const result = $('#access-code .access-code-result');
  result.textContent = '';
  $('#access-code-error').textContent = '';
  try {
    const userId = encodeURIComponent(String(form.get('user_id')));
    const issued = await call('POST', `${API}/admin/user/${userId}/access-code`, { lifetime_seconds: Number(form.get('minutes')) * 60 });
    result.textContent = `Code for user ${form.get('user_id')}: ${issued.code} (valid until ${new Date(issued.expires_at).toLocaleString()}). It is shown only now.`;
  } catch (error) {
    $('#access-code-error').textContent = error.message;
  }
});

if (token()) load();
