/** The passkey page's markup; its behaviour is in passkeys.script.ts. Ids are what the browser tests drive. */
export const PASSKEYS_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Passkeys — two-factor demo</title>
  <style>
    body { font: 16px/1.5 system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; }
    section { border: 1px solid #ccc; border-radius: .5rem; padding: .5rem 1rem 1rem; margin-bottom: 1rem; }
    input, select, button { font: inherit; margin: .25rem 0; }
    .ok { color: #17692b; } .error { color: #a11; }
    #log { font-size: .875rem; }
    #second-step fieldset { border: 1px solid #ccc; border-radius: .5rem; }
    #second-step fieldset label { display: block; }
  </style>
</head>
<body>
  <h1>Passkeys</h1>
  <p>Sign in, register a passkey or security key, then use it to pass a sensitive action.</p>
  <p id="status" role="status" aria-live="polite">Not signed in.</p>

  <section id="sign-in-section">
    <h2>1. Sign in</h2>
    <div id="password-step">
      <label>User <input id="username" value="alice" autocomplete="username"></label>
      <label>Password <input id="password" type="password" value="demo-password" autocomplete="current-password"></label>
      <button id="sign-in">Sign in</button>
    </div>
    <div id="second-step" hidden></div>
  </section>

  <section>
    <h2>2. Your passkeys</h2>
    <ul id="factors"><li>Sign in to see them.</li></ul>
    <label>Name <input id="label" value="My passkey" maxlength="64"></label>
    <button id="register" disabled>Register a passkey</button>
    <p><small>Once you have a factor, adding another asks you to confirm with an existing one first.</small></p>
  </section>

  <section>
    <h2>3. Sensitive action</h2>
    <label>With <select id="passkey"></select></label>
    <button id="sensitive" disabled>Do the sensitive action</button>
  </section>

  <section>
    <h2>4. A transfer, approved with your passkey</h2>
    <p><small>The passkey signs a challenge bound to exactly these details; the bank route refuses a proof of any other transfer.</small></p>
    <label>Amount <input id="amount" value="120.00" maxlength="32"></label>
    <label>Currency <input id="currency" value="EUR" maxlength="3" size="4"></label>
    <label>Payee <input id="payee" value="ACME Ltd" maxlength="128"></label>
    <button id="transfer" disabled>Approve the transfer</button>
    <p id="approving" hidden>You are approving: <strong id="approving-text"></strong></p>
    <button id="security-key-only" disabled>Security-key-only action</button>
  </section>

  <h2>Log</h2>
  <ol id="log" reversed></ol>

  <script src="/demo/passkeys/simplewebauthn-browser.js"></script>
  <script src="/demo/sign-in/second-step.js"></script>
  <script src="/demo/passkeys/app.js"></script>
</body>
</html>
`;
