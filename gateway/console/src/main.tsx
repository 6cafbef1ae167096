// The console: sign-in gate, layout with landmarks, and the client-side routes.
import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { JobDetail } from "./pages/JobDetail";
import { Jobs } from "./pages/Jobs";
import { PipelineDetail } from "./pages/PipelineDetail";
import { PipelineNew } from "./pages/PipelineNew";
import { Pipelines } from "./pages/Pipelines";
import { Queues } from "./pages/Queues";
import { Schedules } from "./pages/Schedules";
import { SignIn } from "./pages/SignIn";
import { System } from "./pages/System";
import { Users } from "./pages/Users";
import { Link, useLocation } from "./router";
import { session } from "./session";
import "./styles.css";

const NAV = [
  { href: "/ui/jobs", label: "Jobs", section: "jobs" },
  { href: "/ui/queues", label: "Queues", section: "queues" },
  { href: "/ui/schedules", label: "Schedules", section: "schedules" },
  { href: "/ui/pipelines", label: "Pipelines", section: "pipelines" },
  { href: "/ui/users", label: "Users", section: "users" },
  { href: "/ui/system", label: "System", section: "system" },
];

function useSession() {
  const [, setTick] = useState(0);
  useEffect(() => session.subscribe(() => setTick((t) => t + 1)), []);
  return session.current;
}

function route(path: string, query: URLSearchParams) {
  let m: RegExpExecArray | null;
  if (path === "/" || path === "/jobs")
    return {
      section: "jobs",
      page: <Jobs status={query.get("status") ?? ""} kind={query.get("kind") ?? ""} queue={query.get("queue") ?? ""} />,
    };
  if ((m = /^\/jobs\/(\d+)$/.exec(path))) return { section: "jobs", page: <JobDetail id={m[1]!} /> };
  if (path === "/queues") return { section: "queues", page: <Queues /> };
  if (path === "/schedules") return { section: "schedules", page: <Schedules /> };
  if (path === "/pipelines") return { section: "pipelines", page: <Pipelines /> };
  if (path === "/pipelines/new") return { section: "pipelines", page: <PipelineNew /> };
  if ((m = /^\/pipelines\/(\d+)$/.exec(path))) return { section: "pipelines", page: <PipelineDetail id={m[1]!} /> };
  if (path === "/users") return { section: "users", page: <Users /> };
  if (path === "/system") return { section: "system", page: <System /> };
  return {
    section: "",
    page: (
      <>
        <h1 id="page-title" tabIndex={-1}>
          Not found
        </h1>
        <p>
          Nothing here. <Link href="/ui/jobs">Go to jobs</Link>.
        </p>
      </>
    ),
  };
}

function App() {
  const current = useSession();
  const { path, query } = useLocation();
  const first = useRef(true);
  const key = `${path}?${query}`;
  useEffect(() => {
    // Move focus to the new page's heading after client-side navigation (not on first load).
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById("page-title")?.focus();
  }, [path, !!current]);
  if (!current) return <SignIn />;
  const { section, page } = route(path, query);
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <span class="brand">Jobs console</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={item.section === section ? "page" : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>
            Signed in as <strong>{current.username}</strong>
          </span>
          <button type="button" onClick={() => session.end("You signed out.")}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} key={key}>
        {page}
      </main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
