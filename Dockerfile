# Odoo 18 (official image) with Fenxiao's Python dependencies.
# The addons, scripts and odoo.conf are mounted from the working tree by
# docker-compose.yml, so edits show up without rebuilding the image; compose
# starts them through docker/entrypoint, which makes the secrets at the first start.
FROM odoo:18.0
USER root
# scripts/setup makes the suite's environment on top of the image's Odoo.
RUN apt-get update && apt-get install -y --no-install-recommends python3-venv \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt /tmp/fenxiao-requirements.txt
# The image's Python is the system one; its packages come from Ubuntu, ours from PyPI.
RUN pip3 install --no-cache-dir --break-system-packages -r /tmp/fenxiao-requirements.txt \
    && rm /tmp/fenxiao-requirements.txt
USER odoo
WORKDIR /mnt/fenxiao
