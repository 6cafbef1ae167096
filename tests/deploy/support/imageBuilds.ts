// The images skaffold.yaml builds, each with its Dockerfile and build args, and a
// Dockerfile's text as Docker reads it with those args: the deploy checks and the
// image replay read the builds skaffold runs (the three gRPC services share
// services/Dockerfile and differ only in their args).
import { parse } from "yaml";
import { readRepoFile } from "./repo";

export interface ImageBuild {
  image: string;
  dockerfile: string;
  buildArgs: Record<string, string>;
}

/** skaffold.yaml's artifacts, in its order. */
export function imageBuilds(): ImageBuild[] {
  const config = parse(readRepoFile("skaffold.yaml")) as {
    build: { artifacts: { image: string; docker: { dockerfile: string; buildArgs?: Record<string, string> } }[] };
  };
  return config.build.artifacts.map(({ image, docker }) => ({
    image,
    dockerfile: docker.dockerfile,
    buildArgs: docker.buildArgs ?? {},
  }));
}

/** The build of `image` in skaffold.yaml. */
export function imageBuild(image: string): ImageBuild {
  const build = imageBuilds().find((b) => b.image === image);
  if (!build) throw new Error(`skaffold.yaml builds no image ${image}`);
  return build;
}

const REFERENCE = /\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g;

/**
 * The Dockerfile with each ARG's value written in where a later line of its stage names it
 * ($NAME or ${NAME}), as Docker expands them: the build arg, else the ARG's default, else
 * empty. Other `$` words are left for RUN's shell. Comments and the ARG lines stay as they are.
 */
export function dockerfileText({ dockerfile, buildArgs }: Pick<ImageBuild, "dockerfile" | "buildArgs">): string {
  let args = new Map<string, string>();
  return readRepoFile(dockerfile)
    .split("\n")
    .map((line) => {
      const instruction = line.trim();
      if (/^FROM\s/i.test(instruction)) args = new Map(); // an ARG holds for the rest of its stage
      const arg = instruction.match(/^ARG\s+([A-Za-z_]\w*)(?:=(\S*))?$/i);
      if (arg) args.set(arg[1]!, buildArgs[arg[1]!] ?? arg[2] ?? "");
      if (arg || instruction.startsWith("#")) return line;
      return line.replace(REFERENCE, (word, braced?: string, bare?: string) => args.get(braced ?? bare!) ?? word);
    })
    .join("\n");
}
