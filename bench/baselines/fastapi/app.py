# Baseline (c): the original design, FastAPI + PyJWT + grpcio on uvicorn, written
# the plain way, for GET /users/{id} and POST /users/ only. Stubs come from
# proto/users.proto at start (grpc.protos_and_services, grpcio-tools). Run with
# the bench's virtualenv (.tools/bench-py, pinned in requirements.txt).
# Env: PORT (0 = any), JWT_SECRET_KEY, USER_SERVICE_URL.
import asyncio
import json
import os
import socket
import sys
from contextlib import asynccontextmanager
from datetime import datetime, timezone

import grpc
import jwt
import uvicorn
from fastapi import FastAPI, Header, HTTPException
from pydantic import BaseModel

PROTO_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "proto")
sys.path.insert(0, os.path.abspath(PROTO_DIR))
users_pb2, users_pb2_grpc = grpc.protos_and_services("users.proto")

SECRET = os.environ.get("JWT_SECRET_KEY", "secret")
stub = None
bound_port = 0


@asynccontextmanager
async def lifespan(_app):
    global stub
    async with grpc.aio.insecure_channel(os.environ.get("USER_SERVICE_URL", "localhost:50051")) as channel:
        stub = users_pb2_grpc.UsersServiceStub(channel)
        print(json.dumps({"msg": "baseline listening", "port": bound_port}), flush=True)
        yield


app = FastAPI(lifespan=lifespan)


def verify(authorization: str | None) -> dict:
    if not authorization or not authorization.startswith("Bearer "):
        raise HTTPException(status_code=401, detail="Could not validate credentials")
    try:
        return jwt.decode(authorization[7:], SECRET, algorithms=["HS256"], options={"verify_aud": False})
    except jwt.PyJWTError:
        raise HTTPException(status_code=401, detail="Could not validate credentials")


def to_json(user) -> dict:
    created = datetime.fromtimestamp(user.created_at.seconds, tz=timezone.utc).isoformat() if user.HasField("created_at") else None
    return {"id": user.id, "name": user.name, "email": user.email, "created_at": created}


class UserIn(BaseModel):
    name: str
    email: str


@app.get("/users/{user_id}")
async def get_user(user_id: int, authorization: str | None = Header(default=None)):
    verify(authorization)
    try:
        return to_json(await stub.GetUser(users_pb2.GetUserRequest(id=user_id), timeout=5))
    except grpc.aio.AioRpcError as error:
        raise HTTPException(status_code=404 if error.code() == grpc.StatusCode.NOT_FOUND else 500, detail=error.details())


@app.post("/users/", status_code=201)
async def create_user(body: UserIn, authorization: str | None = Header(default=None)):
    verify(authorization)
    try:
        return to_json(await stub.CreateUser(users_pb2.CreateUserRequest(name=body.name, email=body.email), timeout=5))
    except grpc.aio.AioRpcError as error:
        raise HTTPException(status_code=422 if error.code() == grpc.StatusCode.INVALID_ARGUMENT else 500, detail=error.details())


if __name__ == "__main__":
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", int(os.environ.get("PORT", "0"))))
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    bound_port = sock.getsockname()[1]
    asyncio.run(server.serve(sockets=[sock]))
