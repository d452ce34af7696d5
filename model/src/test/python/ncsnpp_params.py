"""Writes the parameter names and shapes of score_sde's NCSN++ (`ncsnpp`) for one of our UNet configs.

The fixture model/src/test/resources/ncsnpp/params-<config>.txt is what NcsnppFixtureTest compares our
one-level PyramidUNet with. score_sde's code is not copied into this repository: point the script at a
checkout of https://github.com/yang-song/score_sde_pytorch (the PyTorch version, Apache-2.0). Runs with
Debian's python3 + python3-torch (1.13); no GPU, no CUDA extension (`op` is stubbed: fir=False).

  /usr/bin/python3 model/src/test/python/ncsnpp_params.py /path/to/score_sde_pytorch unet-tiny-single \
      > model/src/test/resources/ncsnpp/params-unet-tiny-single.txt
"""
import sys
import types
from types import SimpleNamespace as NS

# Our conf/model/<name>.conf (or src/test/resources/ncsnpp/<name>.conf) in score_sde's terms (kept by hand; the test checks the header line
# against the conf, so a change to the conf without regenerating fails the test).
CONFIGS = {
    'unet-tiny-single': dict(nf=16, ch_mult=(1, 2), num_res_blocks=1, attn_resolutions=(4,),
                             image_size=8, num_channels=4, embedding_type='fourier'),
    # model/src/test/resources/ncsnpp/unet-ncsnpp-16.conf
    'unet-ncsnpp-16': dict(nf=32, ch_mult=(2, 4, 4), num_res_blocks=2, attn_resolutions=(8,),
                           image_size=16, num_channels=3, embedding_type='positional'),
}


def build(root, c):
  sys.path.insert(0, root)
  # up_or_down_sampling imports `op`, which compiles a CUDA kernel at import; FIR is off here.
  sys.modules['op'] = types.SimpleNamespace(upfirdn2d=None)
  sys.modules.setdefault('sde_lib', types.ModuleType('sde_lib'))  # imported by models/utils.py
  from models import ncsnpp  # noqa: F401  (registers 'ncsnpp')
  from models import utils
  model = NS(
      name='ncsnpp', nf=c['nf'], ch_mult=c['ch_mult'], num_res_blocks=c['num_res_blocks'],
      attn_resolutions=c['attn_resolutions'], dropout=0.1, resamp_with_conv=True,
      conditional=True,            # time-conditioned ResBlocks (Dense_0), as ours
      fir=False, fir_kernel=[1, 3, 3, 1],  # nearest up / 2x2 average down, as ours
      skip_rescale=True, resblock_type='biggan',
      progressive='none', progressive_input='none', progressive_combine='sum',
      embedding_type=c['embedding_type'], fourier_scale=16, init_scale=0.0,
      nonlinearity='swish', sigma_max=50.0, sigma_min=0.01, num_scales=1000, scale_by_sigma=False)
  data = NS(image_size=c['image_size'], num_channels=c['num_channels'], centered=True)
  config = NS(model=model, data=data, training=NS(continuous=True))
  return utils.get_model('ncsnpp')(config)


def main():
  root, name = sys.argv[1], sys.argv[2]
  c = CONFIGS[name]
  net = build(root, c)
  print('# score_sde_pytorch ncsnpp (biggan, fir=False, progressive none/none, skip_rescale, '
        'conditional) for %s.conf, written by model/src/test/python/ncsnpp_params.py' % name)
  print('# nf=%d ch_mult=%s num_res_blocks=%d attn_resolutions=%s image_size=%d num_channels=%d '
        'embedding_type=%s' % (c['nf'], ','.join(map(str, c['ch_mult'])), c['num_res_blocks'],
                               ','.join(map(str, c['attn_resolutions'])), c['image_size'],
                               c['num_channels'], c['embedding_type']))
  for key, value in net.state_dict().items():
    print('%s %s' % (key, ','.join(str(d) for d in value.shape)))


if __name__ == '__main__':
  main()
