// Passkeys, in the browser: for each form marked data-wan ("create" to
// register, "get" to sign in or verify), runs the ceremony with the
// server's options (data-options), puts the browser's answer in the form's
// `credential` field as a JSON string (as Flask-Security-Too's script
// does) and submits it. No build step, no dependencies.
(function () {
  "use strict";
  const decode = (text) => {
    const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const bin = atob(b64 + "===".slice((b64.length + 3) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0)).buffer;
  };
  const encode = (buffer) =>
    btoa(String.fromCharCode(...new Uint8Array(buffer)))
      .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const withIds = (list) => (list || []).map((c) => ({ ...c, id: decode(c.id) }));

  function creation(options) {
    if (window.PublicKeyCredential && PublicKeyCredential.parseCreationOptionsFromJSON) {
      return PublicKeyCredential.parseCreationOptionsFromJSON(options);
    }
    return {
      ...options,
      challenge: decode(options.challenge),
      user: { ...options.user, id: decode(options.user.id) },
      excludeCredentials: withIds(options.excludeCredentials),
    };
  }

  function request(options) {
    if (window.PublicKeyCredential && PublicKeyCredential.parseRequestOptionsFromJSON) {
      return PublicKeyCredential.parseRequestOptionsFromJSON(options);
    }
    return { ...options, challenge: decode(options.challenge), allowCredentials: withIds(options.allowCredentials) };
  }

  function answer(credential) {
    if (typeof credential.toJSON === "function") return credential.toJSON();
    const r = credential.response;
    const response = r.attestationObject
      ? {
          clientDataJSON: encode(r.clientDataJSON),
          attestationObject: encode(r.attestationObject),
          transports: typeof r.getTransports === "function" ? r.getTransports() : [],
        }
      : {
          clientDataJSON: encode(r.clientDataJSON),
          authenticatorData: encode(r.authenticatorData),
          signature: encode(r.signature),
          userHandle: r.userHandle ? encode(r.userHandle) : null,
        };
    return {
      id: credential.id,
      rawId: encode(credential.rawId),
      type: credential.type,
      response,
      authenticatorAttachment: credential.authenticatorAttachment,
      clientExtensionResults: credential.getClientExtensionResults(),
    };
  }

  async function run(form) {
    const options = JSON.parse(form.dataset.options);
    const failed = form.querySelector("[data-wan-error]");
    try {
      const credential = form.dataset.wan === "create"
        ? await navigator.credentials.create({ publicKey: creation(options) })
        : await navigator.credentials.get({ publicKey: request(options) });
      form.elements.credential.value = JSON.stringify(answer(credential));
      form.submit();
    } catch (error) {
      if (failed) {
        failed.hidden = false;
        failed.focus?.();
      }
    }
  }

  /** Passkeys offered in the email field's autofill (conditional UI). */
  async function autofill(form) {
    const available = window.PublicKeyCredential
      && PublicKeyCredential.isConditionalMediationAvailable
      && (await PublicKeyCredential.isConditionalMediationAvailable());
    if (!available) return;
    const reply = await fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRF-Token": form.elements.csrf_token.value,
      },
      body: "{}",
    });
    if (!reply.ok) return;
    const { response } = await reply.json();
    let credential;
    try {
      credential = await navigator.credentials.get({
        mediation: "conditional",
        publicKey: request(response.credential_options),
      });
    } catch (error) {
      return;
    }
    const post = document.createElement("form");
    post.method = "post";
    post.action = `${form.action}/${response.wan_state}`;
    const fields = { csrf_token: response.csrf_token, credential: JSON.stringify(answer(credential)) };
    if (form.elements.next) fields.next = form.elements.next.value;
    for (const [name, value] of Object.entries(fields)) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      post.append(input);
    }
    document.body.append(post);
    post.submit();
  }

  document.querySelectorAll("form[data-wan]").forEach((form) => { run(form); });
  document.querySelectorAll("form[data-wan-autofill]").forEach((form) => { autofill(form); });
})();
