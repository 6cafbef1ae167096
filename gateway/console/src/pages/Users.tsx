import { useState } from "preact/hooks";
import { ApiError, call, errorText, gateway } from "../api";
import { Alert, formatTime, Pager, PageTitle, ScrollRegion, TextField } from "../components";
import { usePagedList } from "../pagedList";
import type { NewUser, User } from "@platform/client";

export function Users() {
  const {
    page,
    error: listError,
    pager,
    reload,
  } = usePagedList<User>((query) => call(gateway().users.get({ query })), {
    refreshMs: 15_000,
    describeError: (e) =>
      e instanceof ApiError && e.status === 403 ? "Listing users needs the admin role." : errorText(e),
  });
  return (
    <>
      <PageTitle>Users</PageTitle>
      <CreateUser onCreated={reload} />
      <h2>All users</h2>
      {listError && <Alert>{listError}</Alert>}
      <ScrollRegion label="Users table">
        <table>
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {page?.items.map((u) => (
              <tr key={u.id}>
                <td>{u.id}</td>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{formatTime(u.created_at)}</td>
              </tr>
            ))}
            {page && page.items.length === 0 && (
              <tr>
                <td colSpan={4}>No users yet.</td>
              </tr>
            )}
          </tbody>
        </table>
      </ScrollRegion>
      <Pager label="Users" {...pager} />
    </>
  );
}

function CreateUser({ onCreated }: { onCreated(): void }) {
  const [id, setId] = useState("");
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState("");
  const [done, setDone] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setDone("");
    // Sent as typed: the API's validation messages are the ones shown.
    const body: Record<string, unknown> = { name, email };
    if (id.trim() !== "") body.id = /^\d+$/.test(id.trim()) ? Number(id.trim()) : id;
    try {
      const user = await call(gateway().users.post(body as NewUser));
      setErrors({});
      setProblem("");
      setDone(`Created user ${user.id} (${user.email}).`);
      setId("");
      setName("");
      setEmail("");
      onCreated();
    } catch (e) {
      if (e instanceof ApiError) {
        setErrors(e.fieldErrors);
        setProblem(e.problem.detail ?? e.message);
      } else setProblem(errorText(e));
      setTimeout(() => document.querySelector<HTMLElement>('.user-form [aria-invalid="true"]')?.focus(), 0);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card user-form" onSubmit={submit} noValidate aria-labelledby="create-user-title">
      <h2 id="create-user-title">Create a user</h2>
      {problem && <Alert>{problem}</Alert>}
      {done && <Alert kind="info">{done}</Alert>}
      <div class="form-grid">
        <TextField
          id="user-id"
          label="Id (optional)"
          value={id}
          error={errors.id}
          inputMode="numeric"
          hint="Assigned when left empty."
          onInput={setId}
        />
        <TextField
          id="user-name"
          label="Name"
          value={name}
          error={errors.name}
          onInput={setName}
          autoComplete="off"
          required
        />
        <TextField
          id="user-email"
          label="Email"
          type="email"
          value={email}
          error={errors.email}
          onInput={setEmail}
          autoComplete="off"
          required
        />
      </div>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? "Creating…" : "Create user"}
      </button>
    </form>
  );
}
