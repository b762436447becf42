# factcheck in a container: the wheel built from this checkout, installed into a slim Python
# image, run as an unprivileged user. The working directory /work is where you mount your
# repository:
#
#   docker build -t factcheck-cli .
#   docker run --rm -v "$PWD:/work" factcheck-cli verify claims.yaml
#
# CI does not build this image (it has no container engine); the wheel it installs is built
# and smoke-tested by .ci/run.
#
# The link cache lives in /work/.factcheck like anywhere else; the container needs network
# access to the evidence hosts for verify (validate needs none).

FROM python:3.12-slim AS build
WORKDIR /src
COPY . .
RUN python -m pip install --no-cache-dir --disable-pip-version-check "build>=1.2,<2" \
    && python -m build --wheel --outdir /dist .

FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
COPY --from=build /dist/ /tmp/dist/
RUN python -m pip install /tmp/dist/factcheck_cli-*.whl \
    && rm -rf /tmp/dist \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin factcheck
USER factcheck
WORKDIR /work
ENTRYPOINT ["factcheck"]
CMD ["--help"]
