import { useState } from "preact/hooks";
import { ApiError, call, errorText, gateway } from "../api";
import { Alert, TextField } from "../components";
import { session } from "../session";

export function SignIn() {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      const answer = await call(gateway().login.post({ username, password }));
      session.signIn(answer.access_token, answer.expires_in);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? "Wrong username or password." : errorText(e));
      setBusy(false);
    }
  };
  return (
    <main id="main" class="signin">
      <form class="card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to the console</h1>
        {session.notice && <Alert kind="info">{session.notice}</Alert>}
        {error && <Alert>{error}</Alert>}
        <TextField
          id="username"
          label="Username"
          value={username}
          onInput={setUsername}
          autoComplete="username"
          required
        />
        <TextField
          id="password"
          label="Password"
          type="password"
          value={password}
          onInput={setPassword}
          autoComplete="current-password"
          required
        />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
